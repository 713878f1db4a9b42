package io.parley.stt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SttSpecTest {

  @Test
  void defaultsSuitAVoiceAgent() {
    SttSpec spec = SttSpec.forCall(" CA1 ");
    assertThat(spec.providerId()).isEqualTo("deepgram");
    assertThat(spec.model()).isEqualTo("nova-3");
    assertThat(spec.language()).isEqualTo("en-US");
    assertThat(spec.endpointingMs()).isEqualTo(300);
    assertThat(spec.utteranceEndMs()).isEqualTo(1000);
    assertThat(spec.interimResults()).isTrue();
    assertThat(spec.vadEvents()).isTrue();
    assertThat(spec.keyterms()).isEmpty();
    assertThat(spec.callSid()).isEqualTo("CA1");
  }

  @Test
  void blanksFallBackToDefaults() {
    SttSpec spec = new SttSpec(" ", null, "", 10, 0, false, false, null, " ");
    assertThat(spec.providerId()).isEqualTo("deepgram");
    assertThat(spec.model()).isEqualTo("nova-3");
    assertThat(spec.language()).isEqualTo("en-US");
    assertThat(spec.callSid()).isNull();
  }

  @Test
  void rejectsWhatDeepgramWouldRefuse() {
    SttSpec spec = SttSpec.forCall("CA1");
    assertThatThrownBy(() -> spec.withTurnTaking(-1, 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("endpointingMs");
    assertThatThrownBy(() -> spec.withTurnTaking(300, 500)).hasMessageContaining("at least 1000");
    assertThatThrownBy(
            () -> new SttSpec("deepgram", "nova-3", "en", 300, 1000, false, true, List.of(), null))
        .hasMessageContaining("interimResults");
    assertThatThrownBy(() -> spec.withKeyterms(List.of("ok", " ")))
        .hasMessageContaining("keyterms");
  }
}
