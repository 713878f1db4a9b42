package io.parley.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** A campaign's voicemail message: something to say, or a clear error naming the field. */
class VoicemailSettingsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void aMessageIsReadStripped() {
    Map<String, String> errors = new LinkedHashMap<>();
    VoicemailSettings read =
        VoicemailSettings.parse(JSON.readTree("{\"message\": \" Call us back. \"}"), "v", errors);
    assertThat(errors).isEmpty();
    assertThat(read.message()).isEqualTo("Call us back.");
    assertThat(VoicemailSettings.parse(null, "v", errors)).isNull();
    assertThat(errors).isEmpty();
  }

  @Test
  void badSettingsNameTheirField() {
    assertThat(errors("{\"message\": \"  \"}")).containsKey("settings.voicemail.message");
    assertThat(errors("{}")).containsKey("settings.voicemail.message");
    assertThat(errors("{\"message\": \"" + "x".repeat(1001) + "\"}"))
        .containsEntry("settings.voicemail.message", "must be at most 1000 characters");
    assertThat(errors("{\"message\": \"Hi.\", \"audio\": true}"))
        .containsKey("settings.voicemail.audio");
    assertThat(errors("\"Hi.\"")).containsKey("settings.voicemail");
  }

  private static Map<String, String> errors(String json) {
    Map<String, String> errors = new LinkedHashMap<>();
    VoicemailSettings.parse(JSON.readTree(json), "settings.voicemail", errors);
    return errors;
  }
}
