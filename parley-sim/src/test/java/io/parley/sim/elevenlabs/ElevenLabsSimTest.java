package io.parley.sim.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.WsClient;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ElevenLabsSimTest {
  private Sim sim;

  @BeforeEach
  void start() {
    sim =
        Sim.start(
            SimConfig.defaults()
                .withElevenLabs(ElevenLabsConfig.defaults().withFirstAudio(Duration.ZERO)));
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private URI socket(String query) {
    return URI.create(
        "ws://127.0.0.1:"
            + sim.elevenLabsUrl().getPort()
            + "/v1/text-to-speech/voice1/stream-input?model_id=eleven_flash_v2_5&output_format=ulaw_8000"
            + query);
  }

  private WsClient connect(String query) throws Exception {
    WsClient ws = WsClient.connect(socket(query), Map.of("xi-api-key", sim.elevenLabs().apiKey()));
    ws.text("{\"text\":\" \",\"voice_settings\":{\"stability\":0.5,\"similarity_boost\":0.8}}");
    return ws;
  }

  private static byte[] audio(WsClient ws) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ws.messages.stream()
        .filter(m -> m.path("audio").isString())
        .forEach(m -> out.writeBytes(Base64.getDecoder().decode(m.path("audio").asString())));
    return out.toByteArray();
  }

  @Test
  void holdsShortTextUntilFlushThenSendsAlignedAudioAndTheFinalMessage() throws Exception {
    WsClient ws = connect("");
    ws.text("{\"text\":\"Hello there, we open at nine. \"}");
    Thread.sleep(300);
    // below the 120 character schedule nothing is generated
    assertThat(ws.messages).isEmpty();
    ws.text("{\"text\":\" \",\"flush\":true}");
    await().atMost(Duration.ofSeconds(5)).until(() -> !ws.messages.isEmpty());
    JsonNode first = ws.messages.getFirst();
    assertThat(first.path("isFinal").isNull()).isTrue();
    assertThat(first.path("alignment").path("chars").get(0).asString()).isEqualTo("H");
    assertThat(first.path("alignment").path("charStartTimesMs").get(0).asInt()).isZero();
    ws.text("{\"text\":\"\"}");
    assertThat(ws.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
    assertThat(ws.messages.getLast().path("isFinal").asBoolean()).isTrue();
    var emission = sim.emissions().emissions().getFirst();
    assertThat(emission.text()).isEqualTo("Hello there, we open at nine.");
    assertThat(audio(ws)).isEqualTo(emission.audio());
    // audio length follows the text: six words of speech
    assertThat(emission.audio().length / 8).isBetween(1500, 4000);
  }

  @Test
  void generatesOnceTheChunkScheduleIsReached() throws Exception {
    WsClient ws = connect("");
    String sentence = "This sentence is long enough to pass the first step of the schedule. ";
    ws.text("{\"text\":\"" + sentence + "\"}");
    Thread.sleep(200);
    assertThat(ws.messages).isEmpty();
    ws.text("{\"text\":\"" + sentence + "\"}");
    await().atMost(Duration.ofSeconds(5)).until(() -> !ws.messages.isEmpty());
    assertThat(sim.elevenLabs().sessions().getFirst().generated()).hasSize(1);
  }

  @Test
  void autoModeGeneratesAtASentenceEnd() throws Exception {
    WsClient ws = connect("&auto_mode=true");
    ws.text("{\"text\":\"Hi. \"}");
    await().atMost(Duration.ofSeconds(5)).until(() -> !ws.messages.isEmpty());
    assertThat(sim.elevenLabs().sessions().getFirst().generated()).containsExactly("Hi.");
  }

  @Test
  void acceptsTheKeyInTheInitMessageAndRejectsAWrongOne() throws Exception {
    WsClient ok = WsClient.connect(socket(""), Map.of());
    ok.text("{\"text\":\" \",\"xi_api_key\":\"" + sim.elevenLabs().apiKey() + "\"}");
    ok.text("{\"text\":\"Yes. \",\"flush\":true}");
    await().atMost(Duration.ofSeconds(5)).until(() -> !ok.messages.isEmpty());

    WsClient wrong = WsClient.connect(socket(""), Map.of());
    wrong.text("{\"text\":\" \",\"xi-api-key\":\"nope\"}");
    assertThat(wrong.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
    assertThat(wrong.messages.getFirst().path("error").asString()).isEqualTo("invalid_api_key");
  }

  @Test
  void closesAfterTheInactivityTimeout() throws Exception {
    WsClient ws = connect("&inactivity_timeout=1");
    assertThat(ws.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
    assertThat(ws.closeReason).contains("input_timeout_exceeded");
  }

  @Test
  void restStreamsMulawAndRejectsABadKey() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri =
        URI.create(
            sim.elevenLabsUrl() + "/v1/text-to-speech/voice1/stream?output_format=ulaw_8000");
    HttpResponse<byte[]> ok =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("xi-api-key", sim.elevenLabs().apiKey())
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"text\":\"Good morning\",\"model_id\":\"eleven_flash_v2_5\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo(sim.emissions().emissions().getLast().audio());
    HttpResponse<String> bad =
        http.send(
            HttpRequest.newBuilder(uri)
                .header("xi-api-key", "wrong")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"x\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(io.parley.sim.Json.parse(bad.body()).path("detail").path("status").asString())
        .isEqualTo("invalid_api_key");
  }
}
