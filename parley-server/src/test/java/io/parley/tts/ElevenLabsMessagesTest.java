package io.parley.tts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Building and reading the ElevenLabs stream-input messages, and the adapters' request URLs. */
class ElevenLabsMessagesTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void theInitMessageIsASpaceWithVoiceSettingsAndTheChunkSchedule() {
    JsonNode init = JSON.readTree(ElevenLabsMessages.init());

    assertThat(init.path("text").asString()).isEqualTo(" ");
    assertThat(init.path("voice_settings").path("stability").asDouble()).isEqualTo(0.5);
    assertThat(init.path("voice_settings").path("similarity_boost").asDouble()).isEqualTo(0.75);
    assertThat(init.path("generation_config").path("chunk_length_schedule").toString())
        .isEqualTo("[120,160,250,290]");
    assertThat(init.has("xi-api-key")).isFalse();
  }

  @Test
  void textLeavesGenerationToTheScheduleUnlessFlushed() {
    JsonNode text = JSON.readTree(ElevenLabsMessages.text("Hello there ", false));
    JsonNode flushed = JSON.readTree(ElevenLabsMessages.text("Bye \"now\" ", true));

    assertThat(text.path("text").asString()).isEqualTo("Hello there ");
    assertThat(text.path("try_trigger_generation").asBoolean()).isFalse();
    assertThat(text.path("flush").asBoolean()).isFalse();
    assertThat(flushed.path("text").asString()).isEqualTo("Bye \"now\" ");
    assertThat(flushed.path("flush").asBoolean()).isTrue();
    assertThat(JSON.readTree(ElevenLabsMessages.close()).path("text").asString()).isEmpty();
    assertThat(JSON.readTree(ElevenLabsMessages.keepAlive()).path("text").asString())
        .isEqualTo(" ");
  }

  @Test
  void audioWithAlignmentIsDecoded() {
    String audio = Base64.getEncoder().encodeToString(new byte[] {1, 2, (byte) 0xFF});
    String message =
        """
        {"audio":"%s","isFinal":null,
         "normalizedAlignment":{"chars":["h","i"],"charStartTimesMs":[0,50],"charsDurationsMs":[50,50]},
         "alignment":{"chars":["H","i"," "],"charStartTimesMs":[0,40,90],"charDurationsMs":[40,50,10]}}
        """
            .formatted(audio);

    var parsed = ElevenLabsMessages.parse(message);

    assertThat(parsed)
        .isInstanceOfSatisfying(
            ElevenLabsMessages.Incoming.Audio.class,
            a -> {
              assertThat(a.bytes()).containsExactly(1, 2, 0xFF);
              assertThat(a.alignment().chars()).containsExactly("H", "i", " ");
              assertThat(a.alignment().startMs()).containsExactly(0, 40, 90);
              assertThat(a.isFinal()).isFalse();
            });
  }

  @Test
  void normalizedAlignmentServesWhenThePlainOneIsMissing() {
    String message =
        """
        {"audio":"AQI=","normalizedAlignment":{"chars":["a"],"charStartTimesMs":[7]}}""";

    var parsed = (ElevenLabsMessages.Incoming.Audio) ElevenLabsMessages.parse(message);

    assertThat(parsed.alignment().chars()).containsExactly("a");
    assertThat(parsed.alignment().startMs()).containsExactly(7);
  }

  @Test
  void finalErrorsAndNoiseAreTold() {
    assertThat(ElevenLabsMessages.parse("{\"isFinal\":true}"))
        .isInstanceOf(ElevenLabsMessages.Incoming.Final.class);
    assertThat(ElevenLabsMessages.parse("{\"is_final\":true,\"audio\":null}"))
        .isInstanceOf(ElevenLabsMessages.Incoming.Final.class);
    assertThat(
            ElevenLabsMessages.parse(
                "{\"error\":\"input_timeout_exceeded\",\"message\":\"Have not received\"}"))
        .isEqualTo(
            new ElevenLabsMessages.Incoming.Error("input_timeout_exceeded", "Have not received"));
    assertThat(ElevenLabsMessages.parse("not json"))
        .isInstanceOf(ElevenLabsMessages.Incoming.Unknown.class);
    assertThat(ElevenLabsMessages.parse("{\"audio\":\"%%%\"}"))
        .isInstanceOf(ElevenLabsMessages.Incoming.Unknown.class);
    assertThat(ElevenLabsMessages.parse("{\"audio\":\"\",\"isFinal\":false}"))
        .isInstanceOf(ElevenLabsMessages.Incoming.Unknown.class);
  }

  @Test
  void anErrorObjectKeepsItsTextAndTheCamelCaseFinalFlagWins() {
    assertThat(ElevenLabsMessages.parse("{\"error\":{\"code\":\"quota\"},\"message\":\"m\"}"))
        .isEqualTo(new ElevenLabsMessages.Incoming.Error("{\"code\":\"quota\"}", "m"));
    assertThat(ElevenLabsMessages.parse("{\"isFinal\":false,\"is_final\":true}"))
        .isInstanceOf(ElevenLabsMessages.Incoming.Unknown.class);
    assertThat(ElevenLabsMessages.parse("[1,2]"))
        .isInstanceOf(ElevenLabsMessages.Incoming.Unknown.class);
  }

  @Test
  void errorsAreSortedIntoRetriableAndPermanent() {
    assertThat(ProviderErrors.retriable(401)).isFalse();
    assertThat(ProviderErrors.retriable(422)).isFalse();
    assertThat(ProviderErrors.retriable(429)).isTrue();
    assertThat(ProviderErrors.retriable(503)).isTrue();
    assertThat(ProviderErrors.retriable("invalid_api_key")).isFalse();
    assertThat(ProviderErrors.retriable("input_timeout_exceeded")).isTrue();
  }

  @Test
  void urlsFollowTheBaseSchemeAndAskForRawMulaw() {
    var socket = new ElevenLabsSocketProvider(null, TtsProperties.defaults(), null);
    var voice = new VoiceSpec.Voice("elevenlabs", "21m00Tcm4TlvDq8ikWAM", null);

    assertThat(socket.uri(URI.create("https://api.elevenlabs.io"), voice, "hi"))
        .hasToString(
            "wss://api.elevenlabs.io/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM/stream-input"
                + "?model_id=eleven_flash_v2_5&output_format=ulaw_8000&language_code=hi");
    assertThat(
            socket.uri(
                URI.create("http://127.0.0.1:9000"),
                new VoiceSpec.Voice("elevenlabs", "v", "eleven_turbo_v2_5"),
                null))
        .hasToString(
            "ws://127.0.0.1:9000/v1/text-to-speech/v/stream-input"
                + "?model_id=eleven_turbo_v2_5&output_format=ulaw_8000");
    assertThat(ElevenLabsRestProvider.uri(URI.create("https://api.elevenlabs.io"), voice))
        .hasToString(
            "https://api.elevenlabs.io/v1/text-to-speech/21m00Tcm4TlvDq8ikWAM/stream"
                + "?output_format=ulaw_8000");
    assertThat(AuraProvider.uri(URI.create("https://api.deepgram.com"), "aura-2-thalia-en"))
        .hasToString(
            "https://api.deepgram.com/v1/speak?model=aura-2-thalia-en"
                + "&encoding=mulaw&sample_rate=8000&container=none");
  }

  @Test
  void theRestBodyCarriesTextModelAndLanguage() {
    var rest = new ElevenLabsRestProvider(null, null, TtsProperties.defaults(), null);

    JsonNode body =
        JSON.readTree(rest.body(new VoiceSpec.Voice("elevenlabs", "v", null), "hi", "Namaste"));

    assertThat(body.path("text").asString()).isEqualTo("Namaste");
    assertThat(body.path("model_id").asString()).isEqualTo("eleven_flash_v2_5");
    assertThat(body.path("language_code").asString()).isEqualTo("hi");
    assertThat(rest.errorCode("{\"detail\":{\"status\":\"invalid_api_key\",\"message\":\"x\"}}"))
        .isEqualTo("invalid_api_key");
    assertThat(rest.errorCode("{\"detail\":[{\"msg\":\"field required\"}]}")).isNull();
  }

  @Test
  void auraTakesItsModelFromTheVoice() {
    var aura = new AuraProvider(null, null, TtsProperties.defaults(), null);

    assertThat(aura.model(new VoiceSpec.Voice("deepgram", "aura-asteria-en", null)))
        .isEqualTo("aura-asteria-en");
    assertThat(aura.model(new VoiceSpec.Voice("deepgram", "thalia", "aura-2-thalia-en")))
        .isEqualTo("aura-2-thalia-en");
    assertThat(aura.model(new VoiceSpec.Voice("deepgram", "thalia", null)))
        .isEqualTo("aura-2-thalia-en");
    assertThat(aura.errorCode("{\"err_code\":\"INVALID_AUTH\",\"err_msg\":\"x\"}"))
        .isEqualTo("INVALID_AUTH");
  }

  @Test
  void restTextIsCutAtSentenceEndsThenBlanks() {
    assertThat(RestSpeechProvider.cut("One two. Three four")).isEqualTo("One two. ".length());
    assertThat(RestSpeechProvider.cut("One two three")).isEqualTo("One two ".length());
    assertThat(RestSpeechProvider.cut("Onetwothree")).isZero();
    assertThat(RestSpeechProvider.cut("x".repeat(2500))).isEqualTo(2000);
  }

  @Test
  void spokenCharactersMapBackOntoTheSentText() {
    SpokenText spoken = new SpokenText();
    spoken.sent("Hello  there, ");
    spoken.sent("friend");
    spoken.spoke(
        new TtsEvent.Alignment(List.of("H", "e", "l", "l", "o", " "), List.of(0, 1, 2, 3, 4, 5)));

    assertThat(spoken.spokenChars()).isEqualTo("Hello  ".length());

    spoken.spoke(
        new TtsEvent.Alignment(List.of("t", "h", "e", "r", "e", ","), List.of(0, 1, 2, 3, 4, 5)));
    assertThat(spoken.spokenChars()).isEqualTo("Hello  there, ".length());
    assertThat(SpokenText.wordStart("Hello there", 8)).isEqualTo(6);
    assertThat(SpokenText.wordStart("Hello there", 6)).isEqualTo(6);
    assertThat(SpokenText.wordStart("Hello there", 11)).isEqualTo(11);
  }

  @Test
  void propertiesHaveDefaults() {
    TtsProperties p = TtsProperties.defaults();
    assertThat(p.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(p.stallTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(p.keepAliveInterval()).isEqualTo(Duration.ofSeconds(15));
  }
}
