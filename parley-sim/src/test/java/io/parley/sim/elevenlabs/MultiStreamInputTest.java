package io.parley.sim.elevenlabs;

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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The {@code multi-stream-input} socket: several contexts on one connection. */
class MultiStreamInputTest {
  private Sim sim;

  @AfterEach
  void stop() {
    sim.close();
  }

  private void start(Duration firstAudio, SimClock clock) {
    sim =
        Sim.start(
            SimConfig.defaults()
                .withClock(clock)
                .withElevenLabs(ElevenLabsConfig.defaults().withFirstAudio(firstAudio)));
  }

  private URI socket(String query) {
    return URI.create(
        "ws://127.0.0.1:"
            + sim.elevenLabsUrl().getPort()
            + "/v1/text-to-speech/voice1/multi-stream-input?model_id=eleven_flash_v2_5"
            + "&output_format=ulaw_8000"
            + query);
  }

  private WsClient connect(String query) throws Exception {
    return WsClient.connect(socket(query), Map.of("xi-api-key", sim.elevenLabs().apiKey()));
  }

  private static List<JsonNode> audioOf(WsClient ws, String contextId) {
    return ws.messages.stream()
        .filter(
            m -> m.path("audio").isString() && m.path("contextId").asString("").equals(contextId))
        .toList();
  }

  private static List<JsonNode> finalsOf(WsClient ws, String contextId) {
    return ws.messages.stream()
        .filter(
            m ->
                m.path("isFinal").asBoolean(false)
                    && m.path("contextId").asString("").equals(contextId))
        .toList();
  }

  private static byte[] bytes(List<JsonNode> audio) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    audio.forEach(m -> out.writeBytes(Base64.getDecoder().decode(m.path("audio").asString())));
    return out.toByteArray();
  }

  @Test
  void aFlushedContextGetsAlignedAudioTaggedWithItsIdThenItsFinalMessage() throws Exception {
    start(Duration.ZERO, SimClock.system());
    WsClient ws = connect("");
    ws.text(
        "{\"text\":\" \",\"context_id\":\"c1\",\"voice_settings\":{\"stability\":0.5},"
            + "\"generation_config\":{\"chunk_length_schedule\":[120,160,250,290]}}");
    ws.text("{\"text\":\"Hello there, we open at nine. \",\"context_id\":\"c1\"}");
    Thread.sleep(300);
    // below the 120 character schedule nothing is generated, as on stream-input
    assertThat(ws.messages).isEmpty();
    ws.text("{\"context_id\":\"c1\",\"flush\":true}");
    await().atMost(Duration.ofSeconds(5)).until(() -> !finalsOf(ws, "c1").isEmpty());

    List<JsonNode> audio = audioOf(ws, "c1");
    assertThat(audio).isNotEmpty();
    JsonNode first = audio.getFirst();
    assertThat(first.path("isFinal").isNull()).isTrue();
    assertThat(first.path("alignment").path("chars").get(0).asString()).isEqualTo("H");
    assertThat(first.path("normalizedAlignment").path("charDurationsMs").isArray()).isTrue();
    // the final message comes last and carries no audio
    assertThat(ws.messages.getLast()).isEqualTo(finalsOf(ws, "c1").getFirst());
    assertThat(ws.messages.getLast().has("audio")).isFalse();
    var emission = sim.emissions().emissions().getFirst();
    assertThat(emission.source()).isEqualTo("elevenlabs");
    assertThat(emission.text()).isEqualTo("Hello there, we open at nine.");
    assertThat(bytes(audio)).isEqualTo(emission.audio());

    ws.text("{\"close_socket\":true}");
    assertThat(ws.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
  }

  @Test
  void closeContextStopsThatContextAtOnceWhileTheOtherContinues() throws Exception {
    SimClock.Virtual clock = new SimClock.Virtual();
    start(Duration.ofMillis(200), clock);
    WsClient ws = connect("");
    ws.text("{\"text\":\" \",\"context_id\":\"c1\"}");
    ws.text("{\"text\":\"The first answer. \",\"context_id\":\"c1\",\"flush\":true}");
    ws.text("{\"text\":\"The second answer. \",\"context_id\":\"c2\",\"flush\":true}");
    // the idle watchdog and both contexts' generations wait on the clock
    assertThat(clock.awaitSleepers(3, Duration.ofSeconds(5))).isTrue();

    ws.text("{\"context_id\":\"c1\",\"close_context\":true}");
    // closing c1 ends its pending generation at once
    await().atMost(Duration.ofSeconds(5)).until(() -> clock.sleepers() == 2);
    ws.text("{\"text\":\"Too late for this. \",\"context_id\":\"c1\",\"flush\":true}");
    clock.advance(200);
    await().atMost(Duration.ofSeconds(5)).until(() -> !finalsOf(ws, "c2").isEmpty());
    assertThat(audioOf(ws, "c2")).isNotEmpty();

    // c2 keeps going on the same socket
    int before = audioOf(ws, "c2").size();
    ws.text("{\"text\":\"And one more thing. \",\"context_id\":\"c2\",\"flush\":true}");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              clock.advance(200);
              return finalsOf(ws, "c2").size() == 2;
            });
    assertThat(audioOf(ws, "c2").size()).isGreaterThan(before);
    assertThat(audioOf(ws, "c1")).isEmpty();
    assertThat(finalsOf(ws, "c1")).isEmpty();

    MultiStreamInputSession session = sim.elevenLabs().multiSessions().getFirst();
    assertThat(session.closedContexts()).containsExactly("c1");
    assertThat(session.generated())
        .extracting(MultiStreamInputSession.Generation::contextId)
        .containsExactly("c1", "c2", "c2");
    // c1's text never became audio
    assertThat(sim.emissions().emissions())
        .extracting(e -> e.text())
        .containsExactly("The second answer.", "And one more thing.");
  }

  @Test
  void eachContextKeepsItsOwnBufferAndCloseSocketFlushesThemAll() throws Exception {
    start(Duration.ZERO, SimClock.system());
    WsClient ws = connect("");
    ws.text("{\"text\":\" \",\"context_id\":\"a\"}");
    ws.text("{\"text\":\"Good morning. \",\"context_id\":\"a\"}");
    // a context may set its own schedule in its first message
    ws.text(
        "{\"text\":\"This text is long enough for a fifty character step. \",\"context_id\":\"b\","
            + "\"generation_config\":{\"chunk_length_schedule\":[50]}}");
    await().atMost(Duration.ofSeconds(5)).until(() -> !audioOf(ws, "b").isEmpty());
    assertThat(audioOf(ws, "a")).isEmpty();
    // an empty text keeps a context alive without ending it
    ws.text("{\"text\":\"\",\"context_id\":\"a\"}");
    ws.text("{\"close_socket\":true}");
    assertThat(ws.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
    assertThat(audioOf(ws, "a")).isNotEmpty();
    assertThat(finalsOf(ws, "a")).hasSize(1);
    assertThat(finalsOf(ws, "b")).hasSize(1);
    assertThat(sim.elevenLabs().multiSessions().getFirst().generated())
        .containsExactly(
            new MultiStreamInputSession.Generation(
                "b", "This text is long enough for a fifty character step."),
            new MultiStreamInputSession.Generation("a", "Good morning."));
  }

  @Test
  void autoModeGeneratesEachContextAtItsSentenceEnd() throws Exception {
    start(Duration.ZERO, SimClock.system());
    WsClient ws = connect("&auto_mode=true");
    ws.text("{\"text\":\"Hi. \",\"context_id\":\"x\"}");
    ws.text("{\"text\":\"Still going \",\"context_id\":\"y\"}");
    await().atMost(Duration.ofSeconds(5)).until(() -> !audioOf(ws, "x").isEmpty());
    assertThat(sim.elevenLabs().multiSessions().getFirst().generated())
        .containsExactly(new MultiStreamInputSession.Generation("x", "Hi."));
  }

  @Test
  void refusesAMissingContextIdAndASixthContext() throws Exception {
    start(Duration.ZERO, SimClock.system());
    WsClient noId = connect("");
    noId.text("{\"text\":\" \"}");
    assertThat(noId.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
    assertThat(noId.messages.getFirst().path("error").asString()).isEqualTo("invalid_message");

    WsClient many = connect("");
    for (int i = 1; i <= 6; i++) {
      many.text("{\"text\":\" \",\"context_id\":\"c" + i + "\"}");
    }
    assertThat(many.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
    assertThat(many.messages.getFirst().path("error").asString())
        .isEqualTo("max_active_conversations");
  }

  @Test
  void checksTheKeyLikeStreamInput() throws Exception {
    start(Duration.ZERO, SimClock.system());
    assertThatThrownBy(() -> WsClient.connect(socket(""), Map.of("xi-api-key", "wrong")))
        .cause()
        .isInstanceOfSatisfying(
            WebSocketHandshakeException.class,
            e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));

    WsClient ok = WsClient.connect(socket(""), Map.of());
    ok.text(
        "{\"text\":\" \",\"context_id\":\"c1\",\"xi_api_key\":\""
            + sim.elevenLabs().apiKey()
            + "\"}");
    ok.text("{\"text\":\"Yes. \",\"context_id\":\"c1\",\"flush\":true}");
    await().atMost(Duration.ofSeconds(5)).until(() -> !finalsOf(ok, "c1").isEmpty());

    WsClient missing = WsClient.connect(socket(""), Map.of());
    missing.text("{\"text\":\" \",\"context_id\":\"c1\"}");
    assertThat(missing.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
    assertThat(missing.messages.getFirst().path("error").asString()).isEqualTo("invalid_api_key");
  }

  @Test
  void closesAfterTheInactivityTimeout() throws Exception {
    start(Duration.ZERO, SimClock.system());
    WsClient ws = connect("&inactivity_timeout=1");
    ws.text("{\"text\":\" \",\"context_id\":\"c1\"}");
    assertThat(ws.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(1008);
    assertThat(ws.closeReason).isEqualTo("input_timeout_exceeded");
    assertThat(ws.messages.getLast().path("error").asString()).isEqualTo("input_timeout_exceeded");
  }

  @Test
  void faultsApplyAsOnStreamInput() throws Exception {
    start(Duration.ZERO, SimClock.system());
    sim.faults().next(Faults.Target.ELEVENLABS, 1, new Fault.ErrorStatus(429));
    assertThatThrownBy(() -> connect(""))
        .cause()
        .isInstanceOfSatisfying(
            WebSocketHandshakeException.class,
            e -> {
              assertThat(e.getResponse().statusCode()).isEqualTo(429);
              assertThat(e.getResponse().headers().firstValue("Retry-After")).contains("1");
            });

    sim.faults().next(Faults.Target.ELEVENLABS, 1, new Fault.DropMidStream(1));
    WsClient ws = connect("");
    String text = "One two three four five six seven eight nine ten eleven twelve. ";
    ws.text("{\"text\":\"" + text + "\",\"context_id\":\"c1\",\"flush\":true}");
    assertThat(ws.closeCode.get(5, TimeUnit.SECONDS)).isNotEqualTo(1000);
    assertThat(audioOf(ws, "c1")).hasSize(1);
    assertThat(finalsOf(ws, "c1")).isEmpty();

    sim.faults().next(Faults.Target.ELEVENLABS, 1, new Fault.Hang());
    WsClient hung = connect("");
    hung.text("{\"text\":\"Hello. \",\"context_id\":\"c1\",\"flush\":true}");
    Thread.sleep(300);
    // accepted, then silent: no audio, no final message, no close
    assertThat(hung.messages).isEmpty();
    assertThat(hung.closeCode).isNotDone();
  }
}
