package io.parley.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.sim.caller.CallerScript;
import io.parley.sim.deepgram.DeepgramConfig;
import io.parley.sim.elevenlabs.ElevenLabsConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A whole call through every simulator, with a miniature voice app in the middle: the carrier calls
 * the app, the app forwards the caller's audio to Deepgram, speaks through ElevenLabs (re-framing
 * the audio its own way), and the caller hears it.
 */
class EndToEndTest {
  private static final String AGENT = "+15550001000";

  private final AppServer webhooks = new AppServer();
  private final MediaApp media = new MediaApp();
  private Sim sim;

  @AfterEach
  void stop() {
    sim.close();
    media.close();
    webhooks.close();
  }

  @Test
  void theCallerHearsTheAgentAndTheAgentHearsTheCaller() throws Exception {
    sim =
        Sim.start(
            SimConfig.defaults()
                .withDeepgram(DeepgramConfig.defaults().withLatency(Duration.ofMillis(50)))
                .withElevenLabs(ElevenLabsConfig.defaults().withFirstAudio(Duration.ofMillis(50))));
    sim.number(AGENT).voiceUrl(webhooks.url("/voice"));
    webhooks.answer(
        "/voice",
        "<Response><Connect><Stream url=\"" + media.wsUrl() + "\"/></Connect></Response>");
    media.behaviour(new VoiceApp());

    CallHandle call =
        sim.placeCall(
            "+15557654321",
            AGENT,
            CallerScript.of(
                new CallerScript.Say("I need a table for two"),
                new CallerScript.Say("thanks"),
                new CallerScript.Hangup(Duration.ofMillis(200))));
    assertThat(call.awaitEnd(Duration.ofSeconds(30))).isTrue();

    assertThat(call.errors()).isEmpty();
    assertThat(call.heardText())
        .isEqualTo("Welcome to the restaurant You said I need a table for two");
    assertThat(sim.deepgram().sessionsFor(call.sid()).getFirst().finals())
        .extracting(f -> f.transcript())
        .startsWith("I need a table for two");
  }

  /** The miniature app: greeting over REST, STT on Deepgram, replies over the ElevenLabs socket. */
  private final class VoiceApp implements MediaApp.Behaviour {
    private WsClient stt;

    @Override
    public void started(MediaApp.Stream stream) {
      try {
        String callSid = stream.start.path("start").path("callSid").asString();
        stt =
            WsClient.connect(
                URI.create(
                    "ws://127.0.0.1:"
                        + sim.deepgramUrl().getPort()
                        + "/v1/listen?model=nova-3&encoding=mulaw&sample_rate=8000&endpointing=300"
                        + "&extra=call_sid:"
                        + callSid),
                Map.of("Authorization", "Token " + sim.deepgram().apiKey()));
        byte[] greeting = restTts("Welcome to the restaurant");
        // re-framed as 320-byte chunks, not Twilio's 160
        for (int at = 0; at < greeting.length; at += 320) {
          stream.sendAudio(Arrays.copyOfRange(greeting, at, Math.min(greeting.length, at + 320)));
        }
        Thread.ofVirtual().start(() -> converse(stream));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void media(MediaApp.Stream stream, int chunk, byte[] audio) {
      try {
        stt.binary(audio);
      } catch (Exception e) {
        // the socket closed at hang-up
      }
    }

    private void converse(MediaApp.Stream stream) {
      try {
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> stt.messages.stream().anyMatch(m -> m.path("speech_final").asBoolean()));
        JsonNode fin =
            stt.messages.stream().filter(m -> m.path("speech_final").asBoolean()).findFirst().get();
        String heard =
            fin.path("channel").path("alternatives").get(0).path("transcript").asString();
        WsClient tts =
            WsClient.connect(
                URI.create(
                    "ws://127.0.0.1:"
                        + sim.elevenLabsUrl().getPort()
                        + "/v1/text-to-speech/v1/stream-input?output_format=ulaw_8000"),
                Map.of("xi-api-key", sim.elevenLabs().apiKey()));
        tts.text("{\"text\":\" \"}");
        tts.text("{\"text\":\"You said " + heard + " \",\"flush\":true}");
        tts.text("{\"text\":\"\"}");
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> tts.messages.stream().anyMatch(m -> m.path("isFinal").asBoolean()));
        for (JsonNode m : tts.messages) {
          if (m.path("audio").isString()) {
            stream.sendAudio(Base64.getDecoder().decode(m.path("audio").asString()));
          }
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    private byte[] restTts(String text) throws Exception {
      return HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .build()
          .send(
              HttpRequest.newBuilder(
                      URI.create(
                          sim.elevenLabsUrl()
                              + "/v1/text-to-speech/v1/stream?output_format=ulaw_8000"))
                  .header("xi-api-key", sim.elevenLabs().apiKey())
                  .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray())
          .body();
    }
  }
}
