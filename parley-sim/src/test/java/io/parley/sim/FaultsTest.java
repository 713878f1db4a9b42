package io.parley.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIIoException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.parley.sim.audio.Speech;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Faults armed at runtime through {@link Sim#faults()}, per simulator and per call. */
class FaultsTest {
  private Sim sim;

  @BeforeEach
  void start() {
    sim = Sim.start(SimConfig.defaults());
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  private ChatCompletionCreateParams ask() {
    return ChatCompletionCreateParams.builder()
        .model("grok-4-fast-non-reasoning")
        .addUserMessage("hi")
        .build();
  }

  @Test
  void aHungLlmResponseTimesTheClientOut() {
    sim.faults().next(Faults.Target.LLM, 1, new Fault.Hang());
    var client =
        OpenAIOkHttpClient.builder()
            .baseUrl(sim.llmBaseUrl().toString())
            .apiKey(sim.llm().apiKey())
            .maxRetries(0)
            .timeout(Duration.ofMillis(500))
            .build();
    assertThatThrownBy(() -> client.chat().completions().create(ask()))
        .isInstanceOf(OpenAIIoException.class);
    assertThat(sim.faults().injectedCount(Faults.Target.LLM)).isEqualTo(1);
  }

  @Test
  void addedLatencyDelaysTheAnswer() {
    sim.faults().next(Faults.Target.LLM, 1, new Fault.Latency(Duration.ofMillis(400)));
    var client =
        OpenAIOkHttpClient.builder()
            .baseUrl(sim.llmBaseUrl().toString())
            .apiKey(sim.llm().apiKey())
            .maxRetries(0)
            .build();
    long start = System.nanoTime();
    client.chat().completions().create(ask());
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(400));
  }

  @Test
  void deepgramDropsOnlyTheFaultyCallsSocketMidStream() throws Exception {
    sim.faults().forCall("CAbad", Faults.Target.DEEPGRAM, new Fault.DropMidStream(1));
    WsClient bad = listen("CAbad");
    WsClient good = listen("CAgood");
    for (WsClient ws : new WsClient[] {bad, good}) {
      byte[] speech = Speech.synthesize("one two three", 1).audio();
      ws.binary(speech);
      ws.binary(Speech.comfortNoise(800, new java.util.SplittableRandom(2)));
    }
    await().atMost(Duration.ofSeconds(15)).until(() -> good.ofType("Results").size() == 3);
    assertThat(bad.closeCode.get(15, TimeUnit.SECONDS)).isNotEqualTo(1000);
    assertThat(bad.ofType("Results")).hasSize(1);
  }

  @Test
  void aDroppedSocketIsNoticedByAListenerStillBusyWithTheLastMessage() throws Exception {
    // the JDK client loses an end of stream (FIN) that arrives while its listener is in onText
    sim.faults().forCall("CAbad", Faults.Target.DEEPGRAM, new Fault.DropMidStream(1));
    WsClient bad = listen("CAbad");
    bad.busyFor(Duration.ofMillis(300));
    bad.binary(Speech.synthesize("one two three", 1).audio());
    bad.binary(Speech.comfortNoise(800, new java.util.SplittableRandom(2)));
    assertThat(bad.closeCode.get(5, TimeUnit.SECONDS)).isNotEqualTo(1000);
    assertThat(bad.ofType("Results")).hasSize(1);
  }

  @Test
  void elevenLabsRateLimitsTheHandshake() {
    sim.faults().next(Faults.Target.ELEVENLABS, 1, new Fault.ErrorStatus(429));
    assertThatThrownBy(
            () ->
                WsClient.connect(
                    URI.create(
                        "ws://127.0.0.1:"
                            + sim.elevenLabsUrl().getPort()
                            + "/v1/text-to-speech/v/stream-input?output_format=ulaw_8000"),
                    Map.of("xi-api-key", sim.elevenLabs().apiKey())))
        .cause()
        .isInstanceOfSatisfying(
            WebSocketHandshakeException.class,
            e -> {
              assertThat(e.getResponse().statusCode()).isEqualTo(429);
              assertThat(e.getResponse().headers().firstValue("Retry-After")).contains("1");
            });
  }

  private WsClient listen(String callSid) throws Exception {
    return WsClient.connect(
        URI.create(
            "ws://127.0.0.1:"
                + sim.deepgramUrl().getPort()
                + "/v1/listen?encoding=mulaw&sample_rate=8000&extra=call_sid:"
                + callSid),
        Map.of("Authorization", "Token " + sim.deepgram().apiKey()));
  }
}
