package io.parley.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

/** Retention settings: call records keep five years unless shortened on purpose. */
class RetentionSettingsTest {

  @Test
  void defaultsKeepEverythingButCallRecordsFiveYears() {
    RetentionSettings s = new RetentionSettings(null, null, null, null, false, null, null, null);
    assertThat(s.recordings()).isNull();
    assertThat(s.transcripts()).isNull();
    assertThat(s.extractedData()).isNull();
    assertThat(s.callRecords()).isEqualTo(Duration.ofDays(1826));
    assertThat(s.runAt()).isEqualTo(LocalTime.of(3, 0));
  }

  @Test
  void callRecordsUnderFiveYearsNeedToBeMeant() {
    assertThatThrownBy(() -> new RetentionSettings(30, 30, 30, 365, false, null, null, null))
        .hasMessageContaining("PARLEY_RETENTION_CALL_RECORD_DAYS_BELOW_FIVE_YEARS");
    assertThat(new RetentionSettings(30, 30, 30, 365, true, null, null, null).callRecords())
        .isEqualTo(Duration.ofDays(365));
    assertThatThrownBy(() -> new RetentionSettings(null, null, null, 0, true, null, null, null))
        .hasMessageContaining("at least 1");
  }

  @Test
  void nonsenseIsRefusedNamingTheSetting() {
    assertThatThrownBy(() -> new RetentionSettings(-1, null, null, null, false, null, null, null))
        .hasMessageContaining("PARLEY_RETENTION_RECORDING_DAYS");
    assertThatThrownBy(() -> new RetentionSettings(null, null, null, null, false, null, 0, null))
        .hasMessageContaining("PARLEY_RETENTION_BATCH_SIZE");
  }

  @Test
  void theRecordingKeyIsCheckedAndNeverShown() {
    assertThatThrownBy(() -> new RecordingStoreSettings("local", null))
        .hasMessageContaining("PARLEY_RECORDING_KEY");
    assertThatThrownBy(() -> new RecordingStoreSettings("local", "c2hvcnQ="))
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> new RecordingStoreSettings("s3", null))
        .hasMessageContaining("PARLEY_RECORDING_STORE");
    String key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    RecordingStoreSettings local = new RecordingStoreSettings("LOCAL", key);
    assertThat(local.local()).isTrue();
    assertThat(local.toString()).doesNotContain(key);
    assertThat(new RecordingStoreSettings(null, null).local()).isFalse();
  }
}
