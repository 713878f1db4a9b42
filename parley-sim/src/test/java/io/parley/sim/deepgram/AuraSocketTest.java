package io.parley.sim.deepgram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.parley.sim.Fault;
import io.parley.sim.Faults;
import io.parley.sim.Sim;
import io.parley.sim.SimClock;
import io.parley.sim.SimConfig;
import io.parley.sim.WsClient;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Aura streaming text to speech: the {@code /v1/speak} WebSocket. */
class AuraSocketTest {
  private Sim sim;

  @AfterEach
  void stop() {
    sim.close();
  }

  private void start(SimClock clock) {
    sim = Sim.start(SimConfig.defaults().withClock(clock));
  }

  private URI speak(String query) {
    return URI.create("ws://127.0.0.1:" + sim.deepgramUrl().getPort() + "/v1/speak?" + query);
  }

  private WsClient connect() throws Exception {
    return WsClient.connect(
        speak("model=aura-2-thalia-en&encoding=mulaw&sample_rate=8000"),
        Map.of("Authorization", "Token " + sim.deepgram().apiKey()));
  }

  private static byte[] audio(WsClient ws) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ws.binaries.forEach(out::writeBytes);
    return out.toByteArray();
  }

  private static List<String> types(WsClient ws) {
    return ws.messages.stream().map(m -> m.path("type").asString()).toList();
  }

  @Test
  void speaksOnlyOnFlushThenSendsAudioAndFlushedWithItsSequenceId() throws Exception {
    start(SimClock.system());
    WsClient ws = connect();
    await().atMost(Duration.ofSeconds(5)).until(() -> !ws.messages.isEmpty());
    JsonNode meta = ws.messages.getFirst();
    assertThat(meta.path("type").asString()).isEqualTo("Metadata");
    assertThat(meta.path("model_name").asString()).isEqualTo("aura-2-thalia-en");
    assertThat(meta.path("request_id").asString()).isNotEmpty();
    assertThat(meta.path("model_uuid").asString()).isNotEmpty();

    ws.text("{\"type\":\"Speak\",\"text\":\"We open \"}");
    ws.text("{\"type\":\"Speak\",\"text\":\"at nine.\"}");
    Thread.sleep(300);
    // text waits in the buffer until the client flushes
    assertThat(ws.binaries).isEmpty();
    ws.text("{\"type\":\"Flush\"}");
    await().atMost(Duration.ofSeconds(5)).until(() -> types(ws).contains("Flushed"));
    var emission = sim.emissions().emissions().getFirst();
    assertThat(emission.source()).isEqualTo("aura");
    assertThat(emission.text()).isEqualTo("We open at nine.");
    assertThat(audio(ws)).isEqualTo(emission.audio());
    assertThat(ws.binaries.size()).isGreaterThan(1);
    assertThat(ws.ofType("Flushed").getFirst().path("sequence_id").asInt()).isZero();

    ws.text("{\"type\":\"Speak\",\"text\":\"Goodbye.\"}");
    ws.text("{\"type\":\"Flush\"}");
    await().atMost(Duration.ofSeconds(5)).until(() -> ws.ofType("Flushed").size() == 2);
    assertThat(ws.ofType("Flushed").get(1).path("sequence_id").asInt()).isEqualTo(1);
    assertThat(sim.deepgram().speakSessions().getFirst().flushed())
        .containsExactly("We open at nine.", "Goodbye.");

    ws.text("{\"type\":\"Close\"}");
    assertThat(ws.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
  }

  @Test
  void clearDropsBufferedTextAndAudioNotYetSent() throws Exception {
    SimClock.Virtual clock = new SimClock.Virtual();
    start(clock);
    // the added latency holds each flush's audio on the virtual clock until the test moves it
    sim.faults().next(Faults.Target.DEEPGRAM, 1, new Fault.Latency(Duration.ofMillis(300)));
    WsClient ws = connect();
    ws.text("{\"type\":\"Speak\",\"text\":\"This will be interrupted.\"}");
    ws.text("{\"type\":\"Flush\"}");
    assertThat(clock.awaitSleepers(1, Duration.ofSeconds(5))).isTrue();
    ws.text("{\"type\":\"Speak\",\"text\":\"And this was never flushed.\"}");
    ws.text("{\"type\":\"Clear\"}");
    await().atMost(Duration.ofSeconds(5)).until(() -> types(ws).contains("Cleared"));
    assertThat(ws.ofType("Cleared").getFirst().path("sequence_id").asInt()).isZero();
    clock.advance(300);

    ws.text("{\"type\":\"Flush\"}");
    ws.text("{\"type\":\"Speak\",\"text\":\"Sorry, go ahead.\"}");
    ws.text("{\"type\":\"Flush\"}");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              clock.advance(300);
              return ws.ofType("Flushed").size() == 2;
            });
    // the cleared flush never reports; the empty one and the next do, in order
    assertThat(ws.ofType("Flushed"))
        .extracting(m -> m.path("sequence_id").asInt())
        .containsExactly(1, 2);
    assertThat(sim.emissions().emissions())
        .extracting(e -> e.text())
        .containsExactly("Sorry, go ahead.");
    assertThat(audio(ws)).isEqualTo(sim.emissions().emissions().getFirst().audio());
    assertThat(types(ws)).containsSubsequence("Metadata", "Cleared", "Flushed", "Flushed");
  }

  @Test
  void warnsAboutTheTwentyFirstFlushInAMinuteAndIgnoresIt() throws Exception {
    start(SimClock.system());
    WsClient ws = connect();
    for (int i = 0; i < 21; i++) {
      ws.text("{\"type\":\"Flush\"}");
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> !ws.ofType("Warning").isEmpty());
    await().atMost(Duration.ofSeconds(5)).until(() -> ws.ofType("Flushed").size() == 20);
    JsonNode warning = ws.ofType("Warning").getFirst();
    assertThat(warning.path("code").asString()).isEqualTo("FLUSH_LIMIT_EXCEEDED");
    assertThat(warning.path("description").asString()).contains("20");
    Thread.sleep(200);
    assertThat(ws.ofType("Flushed")).hasSize(20);
  }

  @Test
  void warnsAboutUnknownAndOverlongMessages() throws Exception {
    start(SimClock.system());
    WsClient ws = connect();
    ws.text("{\"type\":\"Shout\"}");
    ws.text("{\"type\":\"Speak\",\"text\":\"" + "a".repeat(2001) + "\"}");
    await().atMost(Duration.ofSeconds(5)).until(() -> ws.ofType("Warning").size() == 2);
    assertThat(ws.ofType("Warning"))
        .extracting(w -> w.path("code").asString())
        .containsExactly("UNKNOWN_MESSAGE_TYPE", "TEXT_TOO_LONG");
    assertThat(ws.closeCode).isNotDone();
  }

  @Test
  void refusesABadKeyAndWhatTheRestEndpointRefuses() throws Exception {
    start(SimClock.system());
    String ok = "model=aura-2-thalia-en&encoding=mulaw&sample_rate=8000";
    assertThat(handshakeStatus(ok, Map.of("Authorization", "Token wrong"))).isEqualTo(401);
    assertThat(handshakeStatus(ok, Map.of())).isEqualTo(401);
    Map<String, String> auth = Map.of("Authorization", "Token " + sim.deepgram().apiKey());
    assertThat(handshakeStatus("model=aura-2-thalia-en&sample_rate=8000", auth)).isEqualTo(400);
    assertThat(handshakeStatus("encoding=linear16&sample_rate=8000", auth)).isEqualTo(400);
    assertThat(handshakeStatus("encoding=mulaw&sample_rate=16000", auth)).isEqualTo(400);
    // the token subprotocol works as on listen
    WsClient ws = WsClient.connect(speak(ok), Map.of(), "token", sim.deepgram().apiKey());
    await().atMost(Duration.ofSeconds(5)).until(() -> !ws.ofType("Metadata").isEmpty());
  }

  @Test
  void faultsApplyToTheSocket() throws Exception {
    start(SimClock.system());
    sim.faults().next(Faults.Target.DEEPGRAM, 1, new Fault.ErrorStatus(429));
    assertThatThrownBy(this::connect)
        .cause()
        .isInstanceOfSatisfying(
            WebSocketHandshakeException.class,
            e -> {
              assertThat(e.getResponse().statusCode()).isEqualTo(429);
              assertThat(e.getResponse().headers().firstValue("Retry-After")).contains("1");
              assertThat(e.getResponse().headers().firstValue("dg-error")).isPresent();
            });

    sim.faults().next(Faults.Target.DEEPGRAM, 1, new Fault.DropMidStream(1));
    WsClient ws = connect();
    ws.text("{\"type\":\"Speak\",\"text\":\"One two three four five six seven eight.\"}");
    ws.text("{\"type\":\"Flush\"}");
    assertThat(ws.closeCode.get(5, TimeUnit.SECONDS)).isNotEqualTo(1000);
    assertThat(ws.binaries).hasSize(1);
    assertThat(ws.ofType("Flushed")).isEmpty();

    sim.faults().next(Faults.Target.DEEPGRAM, 1, new Fault.Hang());
    WsClient hung = connect();
    hung.text("{\"type\":\"Speak\",\"text\":\"Hello.\"}");
    hung.text("{\"type\":\"Flush\"}");
    Thread.sleep(300);
    // accepted, then silent: not even Metadata
    assertThat(hung.messages).isEmpty();
    assertThat(hung.binaries).isEmpty();
    assertThat(hung.closeCode).isNotDone();
  }

  private int handshakeStatus(String query, Map<String, String> headers) {
    try {
      WsClient.connect(speak(query), headers);
      return 101;
    } catch (Exception e) {
      return e.getCause() instanceof WebSocketHandshakeException h
          ? h.getResponse().statusCode()
          : -1;
    }
  }
}
