package io.parley.telephony.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class MediaStreamCodecTest {

  private final MediaStreamCodec codec = new MediaStreamCodec();
  private final JsonMapper json = JsonMapper.builder().build();

  @Test
  void readsConnected() {
    assertThat(codec.parse("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}"))
        .isEqualTo(new StreamEvent.Connected("Call", "1.0.0"));
  }

  @Test
  void readsStartWithParametersAndMediaFormat() {
    String frame =
        """
        {"event":"start","sequenceNumber":"1","start":{"accountSid":"AC123","streamSid":"MZ1",
        "callSid":"CA9","tracks":["inbound"],"mediaFormat":{"encoding":"audio/x-mulaw",
        "sampleRate":8000,"channels":1},"customParameters":{"token":"t-1","lang":"hi-IN"}},
        "streamSid":"MZ1"}
        """;
    assertThat(codec.parse(frame))
        .isEqualTo(
            new StreamEvent.Start(
                "MZ1",
                "AC123",
                "CA9",
                Map.of("token", "t-1", "lang", "hi-IN"),
                "audio/x-mulaw",
                8000,
                1));
  }

  @Test
  void readsMediaWithStringCountersInAnyFieldOrder() {
    byte[] audio = new byte[160];
    for (int i = 0; i < audio.length; i++) {
      audio[i] = (byte) i;
    }
    String payload = Base64.getEncoder().encodeToString(audio);
    String frame =
        "{\"media\":{\"payload\":\""
            + payload
            + "\",\"timestamp\":\"5020\",\"chunk\":\"252\",\"track\":\"inbound\"},"
            + "\"streamSid\":\"MZ1\",\"sequenceNumber\":\"254\",\"event\":\"media\"}";
    StreamEvent.Media media = (StreamEvent.Media) codec.parse(frame);
    assertThat(media.track()).isEqualTo("inbound");
    assertThat(media.chunk()).isEqualTo(252);
    assertThat(media.timestampMs()).isEqualTo(5020);
    assertThat(media.payload()).isEqualTo(audio);
  }

  @Test
  void readsDtmfMarkStopAndKeepsUnknownEvents() {
    assertThat(
            codec.parse(
                "{\"event\":\"dtmf\",\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\"5\"}}"))
        .isEqualTo(new StreamEvent.Dtmf("5"));
    assertThat(codec.parse("{\"event\":\"mark\",\"mark\":{\"name\":\"utt-3\"}}"))
        .isEqualTo(new StreamEvent.Mark("utt-3"));
    assertThat(
            codec.parse(
                "{\"event\":\"stop\",\"stop\":{\"accountSid\":\"AC1\",\"callSid\":\"CA9\"}}"))
        .isEqualTo(new StreamEvent.Stop("CA9"));
    assertThat(codec.parse("{\"event\":\"future\",\"future\":{\"x\":[1,2,{\"y\":3}]}}"))
        .isEqualTo(new StreamEvent.Unknown("future"));
  }

  @Test
  void aDtmfDigitIsOneKeyOfTheKeypad() {
    for (String key : "0 1 2 3 4 5 6 7 8 9 * # A B C D".split(" ")) {
      assertThat(codec.parse(dtmf(key))).isEqualTo(new StreamEvent.Dtmf(key));
    }
    for (String bad : List.of("", "12", "E", "a", "x".repeat(1000), "\uD83D\uDE00", "\\u0000")) {
      assertThatThrownBy(() -> codec.parse(dtmf(bad)))
          .as(bad)
          .isInstanceOf(MalformedFrameException.class)
          .hasMessageContaining("dtmf.digit");
    }
  }

  private static String dtmf(String digit) {
    return "{\"event\":\"dtmf\",\"dtmf\":{\"track\":\"inbound_track\",\"digit\":\""
        + digit
        + "\"}}";
  }

  @Test
  void rejectsFramesItCannotUnderstand() {
    assertThatThrownBy(() -> codec.parse("not json")).isInstanceOf(MalformedFrameException.class);
    assertThatThrownBy(() -> codec.parse("[1]")).hasMessageContaining("JSON object");
    assertThatThrownBy(() -> codec.parse("{\"streamSid\":\"MZ\"}")).hasMessageContaining("event");
    assertThatThrownBy(() -> codec.parse("{\"event\":\"media\",\"media\":{\"payload\":\"***\"}}"))
        .hasMessageContaining("base64");
    assertThatThrownBy(() -> codec.parse("{\"event\":\"media\",\"media\":{\"chunk\":\"x\"}}"))
        .hasMessageContaining("chunk");
    assertThatThrownBy(() -> codec.parse("{\"event\":\"start\",\"start\":{\"streamSid\":\"MZ\"}}"))
        .hasMessageContaining("start.callSid");
  }

  @Test
  void writesOutboundMediaMarkAndClearAsTwilioExpects() {
    byte[] audio = {(byte) 0xFF, 0x7F, 0x00, 0x10};
    JsonNode media = json.readTree(codec.media("MZ1", audio, 1, 2));
    assertThat(media.get("event").asString()).isEqualTo("media");
    assertThat(media.get("streamSid").asString()).isEqualTo("MZ1");
    assertThat(Base64.getDecoder().decode(media.get("media").get("payload").asString()))
        .containsExactly(0x7F, 0x00);

    JsonNode mark = json.readTree(codec.mark("MZ1", "reply \"7\""));
    assertThat(mark.get("mark").get("name").asString()).isEqualTo("reply \"7\"");

    JsonNode clear = json.readTree(codec.clear("MZ1"));
    assertThat(clear.get("event").asString()).isEqualTo("clear");
    assertThat(clear.size()).isEqualTo(2);
  }
}
