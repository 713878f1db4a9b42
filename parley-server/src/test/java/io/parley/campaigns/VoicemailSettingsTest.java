package io.parley.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
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
        VoicemailSettings.parse(
            JSON.readTree("{\"message\": \" Call us back on 415-555-0123. \"}"), "v", errors);
    assertThat(errors).isEmpty();
    assertThat(read.message()).isEqualTo("Call us back on 415-555-0123.");
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

  @Test
  void aMessageMustGiveACallBackNumber() {
    for (String without :
        List.of(
            "This is Bella's Bistro, please call us back.",
            "Call us back on four one five, five five five, zero one two three.",
            "Call us back on 555-0123.")) {
      assertThat(errors("{\"message\": \"" + without + "\"}"))
          .as(without)
          .hasEntrySatisfying(
              "settings.voicemail.message",
              message ->
                  assertThat(message)
                      .contains("call-back number")
                      .contains("47 CFR 64.1200(b)(2)")
                      .contains("16 CFR 310.4(d)"));
    }
    for (String with :
        List.of(
            "This is Bella's Bistro, please call us back on (415) 555-0123.",
            "Call us back on 415.555.0123, thank you.",
            "Call Bella's Bistro London on +44 20 7946 0018.")) {
      assertThat(errors("{\"message\": \"" + with + "\"}")).as(with).isEmpty();
    }
  }

  @Test
  void placeholdersAreAllowedButMustBeWellFormed() {
    assertThat(errors("{\"message\": \"Hi {{first_name}}, call us on 415-555-0123.\"}")).isEmpty();
    assertThat(errors("{\"message\": \"Hi {{First Name}}, call us on 415-555-0123.\"}"))
        .hasEntrySatisfying(
            "settings.voicemail.message",
            message -> assertThat(message).contains("malformed placeholder"));
    assertThat(errors("{\"message\": \"Hi {{first_name, call us on 415-555-0123.\"}"))
        .containsKey("settings.voicemail.message");
  }

  private static Map<String, String> errors(String json) {
    Map<String, String> errors = new LinkedHashMap<>();
    VoicemailSettings.parse(JSON.readTree(json), "settings.voicemail", errors);
    return errors;
  }
}
