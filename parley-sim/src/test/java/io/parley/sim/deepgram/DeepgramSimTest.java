package io.parley.sim.deepgram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.WsClient;
import io.parley.sim.audio.Speech;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DeepgramSimTest {
  private Sim sim;

  @AfterEach
  void stop() {
    sim.close();
  }

  private Sim start(DeepgramConfig config) {
    sim = Sim.start(SimConfig.defaults().withDeepgram(config));
    return sim;
  }

  private URI listen(String query) {
    return URI.create(
        "ws://127.0.0.1:"
            + sim.deepgramUrl().getPort()
            + "/v1/listen?model=nova-3&encoding=mulaw&sample_rate=8000&"
            + query);
  }

  private WsClient connect(String query) throws Exception {
    return WsClient.connect(
        listen(query), Map.of("Authorization", "Token " + sim.deepgram().apiKey()));
  }

  /** Line noise, then speech, then line noise, sent as Twilio-sized frames. */
  private static void speak(WsClient ws, String text, int silenceAfterMs) throws Exception {
    SplittableRandom random = new SplittableRandom(1);
    byte[] speech = Speech.synthesize(text, 5).audio();
    byte[] all = new byte[1600 + speech.length + silenceAfterMs * 8];
    System.arraycopy(Speech.comfortNoise(1600, random), 0, all, 0, 1600);
    System.arraycopy(speech, 0, all, 1600, speech.length);
    byte[] tail = Speech.comfortNoise(silenceAfterMs * 8, random);
    System.arraycopy(tail, 0, all, 1600 + speech.length, tail.length);
    for (int at = 0; at < all.length; at += 160) {
      ws.binary(Arrays.copyOfRange(all, at, Math.min(all.length, at + 160)));
    }
  }

  @Test
  void transcribesTheCallersWordsWithVadInterimsEndpointingAndUtteranceEnd() throws Exception {
    start(DeepgramConfig.defaults().withLatency(Duration.ofMillis(20)));
    WsClient ws =
        connect(
            "interim_results=true&vad_events=true&endpointing=300&utterance_end_ms=1000"
                + "&extra=call_sid:CA42");
    speak(ws, "book a table for two", 1500);
    await().atMost(Duration.ofSeconds(5)).until(() -> !ws.ofType("UtteranceEnd").isEmpty());

    JsonNode started = ws.ofType("SpeechStarted").getFirst();
    assertThat(started.path("timestamp").asDouble())
        .isCloseTo(0.2, org.assertj.core.data.Offset.offset(0.03));
    List<JsonNode> results = ws.ofType("Results");
    assertThat(results.stream().filter(r -> !r.path("is_final").asBoolean())).isNotEmpty();
    JsonNode fin =
        results.stream().filter(r -> r.path("is_final").asBoolean()).findFirst().orElseThrow();
    assertThat(fin.path("speech_final").asBoolean()).isTrue();
    JsonNode alt = fin.path("channel").path("alternatives").get(0);
    assertThat(alt.path("transcript").asString()).isEqualTo("book a table for two");
    assertThat(alt.path("words")).hasSize(5);
    assertThat(alt.path("words").get(0).path("start").asDouble())
        .isCloseTo(0.2, org.assertj.core.data.Offset.offset(0.01));
    // message order: speech starts, interims, the final, then the utterance end
    List<String> order = ws.messages.stream().map(m -> m.path("type").asString()).toList();
    assertThat(order.indexOf("SpeechStarted")).isLessThan(order.indexOf("Results"));
    assertThat(order.getLast()).isEqualTo("UtteranceEnd");
    assertThat(sim.deepgram().sessionsFor("CA42")).hasSize(1);
  }

  @Test
  void speechStartedHasItsOwnShorterLatencyAndOvertakesTranscripts() throws Exception {
    start(
        DeepgramConfig.defaults()
            .withLatency(Duration.ofMillis(600))
            .withVadLatency(Duration.ofMillis(20)));
    WsClient ws = connect("interim_results=true&vad_events=true&endpointing=300");
    long sent = System.nanoTime();
    speak(ws, "book a table for two", 500);
    await().atMost(Duration.ofSeconds(5)).until(() -> !ws.ofType("SpeechStarted").isEmpty());
    long started = System.nanoTime();
    await().atMost(Duration.ofSeconds(5)).until(() -> !ws.ofType("Results").isEmpty());
    long transcribed = System.nanoTime();
    // the audio went out at once: voice activity comes ~20 ms later, words only after 600 ms
    assertThat(Duration.ofNanos(started - sent)).isLessThan(Duration.ofMillis(400));
    assertThat(Duration.ofNanos(transcribed - sent)).isGreaterThan(Duration.ofMillis(550));
    assertThat(ws.messages.getFirst().path("type").asString()).isEqualTo("SpeechStarted");
  }

  @Test
  void theDefaultTenMillisecondEndpointingSplitsAtEveryPause() throws Exception {
    start(DeepgramConfig.defaults().withLatency(Duration.ZERO));
    WsClient ws = connect("");
    speak(ws, "one two three", 500);
    await().atMost(Duration.ofSeconds(5)).until(() -> ws.ofType("Results").size() == 3);
    assertThat(ws.ofType("Results"))
        .extracting(
            r -> r.path("channel").path("alternatives").get(0).path("transcript").asString())
        .containsExactly("one", "two", "three");
    assertThat(ws.ofType("SpeechStarted")).isEmpty();
  }

  @Test
  void finalizeAndCloseStream() throws Exception {
    start(DeepgramConfig.defaults().withLatency(Duration.ZERO));
    WsClient ws = connect("endpointing=false");
    speak(ws, "hello there", 0);
    ws.text("{\"type\":\"Finalize\"}");
    await().atMost(Duration.ofSeconds(5)).until(() -> !ws.ofType("Results").isEmpty());
    JsonNode fin = ws.ofType("Results").getFirst();
    assertThat(fin.path("from_finalize").asBoolean()).isTrue();
    assertThat(fin.path("channel").path("alternatives").get(0).path("transcript").asString())
        .isEqualTo("hello there");
    ws.text("{\"type\":\"CloseStream\"}");
    assertThat(ws.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
    assertThat(ws.ofType("Metadata")).hasSize(1);
  }

  @Test
  void noticesWhenTheClientCloses() throws Exception {
    start(DeepgramConfig.defaults());
    WsClient ws = connect("");
    ws.close();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> sim.deepgram().sessions().getFirst().isClosed());
  }

  @Test
  void closesAnIdleSocketWith1011() throws Exception {
    start(DeepgramConfig.defaults().withIdleTimeout(Duration.ofMillis(300)));
    WsClient ws = connect("");
    assertThat(ws.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1011);
    assertThat(ws.closeReason).isEqualTo("NET-0001");
  }

  @Test
  void checksTheKeyInTheHeaderOrTheTokenSubprotocol() throws Exception {
    start(DeepgramConfig.defaults());
    assertThatThrownBy(() -> WsClient.connect(listen(""), Map.of("Authorization", "Token wrong")))
        .cause()
        .isInstanceOfSatisfying(
            java.net.http.WebSocketHandshakeException.class,
            e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
    WsClient ws = WsClient.connect(listen(""), Map.of(), "token", sim.deepgram().apiKey());
    ws.text("{\"type\":\"CloseStream\"}");
    assertThat(ws.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
  }

  @Test
  void auraSpeaksRawMulawOnlyWithContainerNone() throws Exception {
    start(DeepgramConfig.defaults());
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest.Builder raw =
        HttpRequest.newBuilder(
                URI.create(
                    sim.deepgramUrl()
                        + "/v1/speak?model=aura-2-thalia-en&encoding=mulaw&sample_rate=8000&container=none"))
            .header("Authorization", "Token " + sim.deepgram().apiKey())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"We open at nine.\"}"));
    HttpResponse<byte[]> r = http.send(raw.build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(sim.emissions().emissions().getLast().audio());
    assertThat(r.headers().firstValue("dg-char-count")).contains("16");

    HttpRequest wav =
        HttpRequest.newBuilder(
                URI.create(
                    sim.deepgramUrl()
                        + "/v1/speak?model=aura-2-thalia-en&encoding=mulaw&sample_rate=8000"))
            .header("Authorization", "Token " + sim.deepgram().apiKey())
            .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"Hello\"}"))
            .build();
    byte[] body = http.send(wav, HttpResponse.BodyHandlers.ofByteArray()).body();
    assertThat(new String(body, 0, 4)).isEqualTo("RIFF");
  }
}
