package io.parley.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.llm.LlmEvent.FailureKind;
import io.parley.providers.OutboundHttp;
import io.parley.providers.OutboundHttpProperties;
import io.parley.providers.ProviderRegistry;
import io.parley.sim.Fault;
import io.parley.sim.Faults;
import io.parley.sim.Sim;
import io.parley.sim.SimConfig;
import io.parley.sim.http.HttpConfig;
import io.parley.sim.llm.LlmConfig;
import io.parley.sim.llm.LlmConfig.Rule;
import io.parley.sim.llm.LlmConfig.ToolCallStyle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;
import tools.jackson.databind.JsonNode;

/** The OpenAI-compatible adapter against the embedded LLM simulator, over real HTTP. */
@ExtendWith(OutputCaptureExtension.class)
class OpenAiLanguageModelTest {

  private static final String KEY = "sk-sim-secret-7f3a9c";
  private static final String CALL_ID = "0b7e4a52-1c1e-4f5e-9a55-2d7b7c3f0001";

  private static final String STALE_RESENDS = "parley.connection.stale.resends";
  private static final String WARM_UPS = "parley.connection.warmups";

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private Sim sim;
  private OpenAiLanguageModel model;

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing.reversed()) {
      c.close();
    }
  }

  private void start(LlmConfig llm) {
    start(llm, LlmProperties.defaults());
  }

  private void start(LlmConfig llm, LlmProperties properties) {
    start(llm, properties, HttpConfig.defaults(), OutboundHttpProperties.defaults());
  }

  private void start(
      LlmConfig llm, LlmProperties properties, HttpConfig hostHttp, OutboundHttpProperties pool) {
    sim = Sim.start(SimConfig.defaults().withLlm(withKey(llm)).withHttp(hostHttp));
    closing.add(sim);
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    context
        .getEnvironment()
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "test",
                Map.of(
                    "PARLEY_LLM_SIM_BASE_URL",
                    sim.llmBaseUrl().toString(),
                    "PARLEY_LLM_SIM_API_KEY",
                    KEY,
                    "PARLEY_LLM_WRONGKEY_BASE_URL",
                    sim.llmBaseUrl().toString(),
                    "PARLEY_LLM_WRONGKEY_API_KEY",
                    "sk-not-the-right-one-55e1")));
    context.registerBean(ProviderRegistry.class);
    context.refresh();
    closing.add(context);
    model =
        new OpenAiLanguageModel(
            context.getBean(ProviderRegistry.class),
            properties,
            new OutboundHttp(pool, meters),
            meters);
    // As at start-up: keeps the SDK's one-off class loading out of the timings asserted below.
    model.warmUp();
    closing.add(model::destroy);
  }

  private static LlmConfig withKey(LlmConfig c) {
    return new LlmConfig(
        c.port(),
        KEY,
        c.flavor(),
        c.models(),
        c.timeToFirstToken(),
        c.tokensPerSecond(),
        c.rules(),
        c.defaultReply());
  }

  private static LlmRequest ask(String provider, String text, Duration budget) {
    return new LlmRequest(
        provider,
        "grok-4-fast-non-reasoning",
        0.4,
        CALL_ID,
        List.of(
            new LlmMessage.System("You are a helpful receptionist."), new LlmMessage.User(text)),
        List.of(),
        budget);
  }

  private static LlmRequest ask(String text) {
    return ask("sim", text, Duration.ofSeconds(5));
  }

  /** Collects events; the terminal one releases the latch. */
  private static final class Recorder implements LlmListener {
    final List<LlmEvent> events = new CopyOnWriteArrayList<>();
    final CountDownLatch firstDelta = new CountDownLatch(1);
    final CountDownLatch done = new CountDownLatch(1);

    @Override
    public void on(LlmEvent event) {
      events.add(event);
      if (event instanceof LlmEvent.TextDelta) {
        firstDelta.countDown();
      }
      if (event instanceof LlmEvent.Completed || event instanceof LlmEvent.Failed) {
        done.countDown();
      }
    }

    String text() {
      StringBuilder out = new StringBuilder();
      events.stream()
          .filter(e -> e instanceof LlmEvent.TextDelta)
          .forEach(e -> out.append(((LlmEvent.TextDelta) e).text()));
      return out.toString();
    }

    List<LlmEvent.ToolCall> toolCalls() {
      return events.stream()
          .filter(e -> e instanceof LlmEvent.ToolCall)
          .map(e -> (LlmEvent.ToolCall) e)
          .toList();
    }

    LlmEvent terminal() {
      assertThat(events).isNotEmpty();
      return events.getLast();
    }

    LlmEvent.Failed failed() {
      assertThat(terminal()).isInstanceOf(LlmEvent.Failed.class);
      return (LlmEvent.Failed) terminal();
    }
  }

  private Recorder run(LlmRequest request) {
    Recorder recorder = new Recorder();
    model.stream(request, recorder).run();
    return recorder;
  }

  private double counter(String name, String... tags) {
    var counter = meters.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void streamsTheReplyInPiecesThenCompletesWithUsage() {
    start(
        LlmConfig.defaults()
            .withRules(List.of(Rule.user("opening hours", "We open at nine every day."))));

    Recorder recorder = run(ask("What are your opening hours?"));

    assertThat(recorder.text()).isEqualTo("We open at nine every day.");
    assertThat(recorder.events.stream().filter(e -> e instanceof LlmEvent.TextDelta).count())
        .isEqualTo(6);
    assertThat(recorder.terminal())
        .isInstanceOfSatisfying(
            LlmEvent.Completed.class,
            c -> {
              assertThat(c.finishReason()).isEqualTo(LlmEvent.FinishReason.STOP);
              assertThat(c.usage().completionTokens()).isEqualTo(6);
              assertThat(c.usage().promptTokens()).isPositive();
            });
    assertThat(counter(LlmMetrics.REQUESTS, "provider", "sim")).isEqualTo(1);
    assertThat(counter(LlmMetrics.RETRIES, "provider", "sim")).isZero();
    assertThat(meters.find(LlmMetrics.TIME_TO_FIRST_TOKEN).timer().count()).isEqualTo(1);
  }

  @Test
  void theStartUpWarmUpStreamsFromItsOwnLoopbackHostNeverFromTheProviderAndCountsNothing() {
    start(LlmConfig.defaults());

    // start() already warmed the model up once, as start-up does; a second time must stream again
    assertThat(model.warmUp()).isEqualTo(60);

    assertThat(sim.llm().requests()).isEmpty();
    assertThat(meters.find(LlmMetrics.REQUESTS).counters()).isEmpty();
    assertThat(meters.find(LlmMetrics.TIME_TO_FIRST_TOKEN).timers()).isEmpty();
  }

  @Test
  void sendsTheCallIdAsUserWithModelTemperatureAndUsageOption() {
    start(LlmConfig.defaults());

    run(ask("hello"));

    assertThat(sim.llm().requestsFor(CALL_ID)).hasSize(1);
    var received = sim.llm().requestsFor(CALL_ID).getFirst();
    assertThat(received.stream()).isTrue();
    assertThat(received.model()).isEqualTo("grok-4-fast-non-reasoning");
    assertThat(received.body().path("temperature").asDouble()).isEqualTo(0.4);
    assertThat(received.body().path("stream_options").path("include_usage").asBoolean()).isTrue();
    assertThat(received.body().has("tools")).isFalse();
  }

  @Test
  void sendsTheHistoryWithToolCallsResultsAndToolDefinitions() {
    start(LlmConfig.defaults().withRules(List.of(Rule.tool("sunny", "It is sunny in Lisbon."))));
    LlmEvent.ToolCall earlier =
        new LlmEvent.ToolCall("call_1", "get_weather", "{\"city\":\"Lisbon\"}");
    LlmRequest request =
        new LlmRequest(
            "sim",
            "grok-4-fast-non-reasoning",
            null,
            CALL_ID,
            List.of(
                new LlmMessage.System("Be brief."),
                new LlmMessage.User("Weather in Lisbon?"),
                new LlmMessage.Assistant("Let me check.", List.of(earlier)),
                new LlmMessage.ToolResult("call_1", "{\"sky\":\"sunny\"}")),
            List.of(
                new LlmTool(
                    "get_weather",
                    "Current weather for a city",
                    "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
                        + "\"required\":[\"city\"]}")),
            Duration.ofSeconds(5));

    Recorder recorder = run(request);

    assertThat(recorder.text()).isEqualTo("It is sunny in Lisbon.");
    JsonNode body = sim.llm().requestsFor(CALL_ID).getFirst().body();
    assertThat(body.has("temperature")).isFalse();
    JsonNode messages = body.path("messages");
    assertThat(messages).hasSize(4);
    assertThat(messages.get(0).path("role").asString()).isEqualTo("system");
    assertThat(messages.get(1).path("role").asString()).isEqualTo("user");
    JsonNode assistant = messages.get(2);
    assertThat(assistant.path("role").asString()).isEqualTo("assistant");
    assertThat(assistant.path("content").asString()).isEqualTo("Let me check.");
    JsonNode call = assistant.path("tool_calls").get(0);
    assertThat(call.path("id").asString()).isEqualTo("call_1");
    assertThat(call.path("type").asString()).isEqualTo("function");
    assertThat(call.path("function").path("name").asString()).isEqualTo("get_weather");
    assertThat(call.path("function").path("arguments").asString())
        .isEqualTo("{\"city\":\"Lisbon\"}");
    assertThat(messages.get(3).path("role").asString()).isEqualTo("tool");
    assertThat(messages.get(3).path("tool_call_id").asString()).isEqualTo("call_1");
    assertThat(messages.get(3).path("content").asString()).isEqualTo("{\"sky\":\"sunny\"}");
    JsonNode tool = body.path("tools").get(0);
    assertThat(tool.path("type").asString()).isEqualTo("function");
    assertThat(tool.path("function").path("name").asString()).isEqualTo("get_weather");
    assertThat(tool.path("function").path("parameters").path("required").get(0).asString())
        .isEqualTo("city");
    assertThat(tool.path("function").path("parameters").path("properties").path("city").isObject())
        .isTrue();
  }

  private void parallelToolCalls(ToolCallStyle style) {
    start(
        LlmConfig.defaults()
            .withRules(
                List.of(
                    Rule.userToolCalls(
                        "book",
                        style,
                        new LlmConfig.ToolCall(
                            "check_slot", "{\"day\":\"monday\",\"time\":\"09:30\"}"),
                        new LlmConfig.ToolCall(
                            "check_slot", "{\"day\":\"tuesday\",\"time\":\"14:00\"}"),
                        new LlmConfig.ToolCall("end_call", "{}")))));

    Recorder recorder = run(ask("book me in"));

    List<LlmEvent.ToolCall> calls = recorder.toolCalls();
    assertThat(calls)
        .extracting(LlmEvent.ToolCall::name, LlmEvent.ToolCall::argumentsJson)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "check_slot", "{\"day\":\"monday\",\"time\":\"09:30\"}"),
            org.assertj.core.groups.Tuple.tuple(
                "check_slot", "{\"day\":\"tuesday\",\"time\":\"14:00\"}"),
            org.assertj.core.groups.Tuple.tuple("end_call", "{}"));
    assertThat(calls).extracting(LlmEvent.ToolCall::id).allMatch(id -> id.startsWith("call_"));
    assertThat(calls).extracting(LlmEvent.ToolCall::id).doesNotHaveDuplicates();
    assertThat(recorder.terminal())
        .isInstanceOfSatisfying(
            LlmEvent.Completed.class,
            c -> assertThat(c.finishReason()).isEqualTo(LlmEvent.FinishReason.TOOL_CALLS));
  }

  @Test
  void accumulatesParallelToolCallsSentWholeXaiStyle() {
    parallelToolCalls(ToolCallStyle.WHOLE);
  }

  @Test
  void accumulatesParallelToolCallsSentAsArgumentFragmentsOpenAiStyle() {
    parallelToolCalls(ToolCallStyle.FRAGMENTS);
  }

  @Test
  void retriesOnceAfterA429HonouringRetryAfter() {
    start(LlmConfig.defaults().withRules(List.of(Rule.user("hi", "Hello there."))));
    sim.faults().next(Faults.Target.LLM, 1, new Fault.ErrorStatus(429, Duration.ofSeconds(1)));

    long started = System.nanoTime();
    Recorder recorder = run(ask("hi"));
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

    assertThat(recorder.text()).isEqualTo("Hello there.");
    assertThat(recorder.terminal()).isInstanceOf(LlmEvent.Completed.class);
    assertThat(sim.llm().requestsFor(CALL_ID)).hasSize(2);
    assertThat(elapsedMillis).isGreaterThanOrEqualTo(950);
    assertThat(counter(LlmMetrics.RETRIES, "provider", "sim")).isEqualTo(1);
    assertThat(counter(LlmMetrics.REQUESTS, "provider", "sim")).isEqualTo(1);
    assertThat(meters.find(LlmMetrics.FAILURES).counters()).isEmpty();
  }

  // ---- connections the host closes ---------------------------------------------------------

  @Test
  void aRequestLostOnAConnectionTheHostHadClosedIsSentAgainAtOnceAndIsNoFailure() throws Exception {
    // the host closes idle connections after 200 ms; Parley's pool would keep them a minute
    start(
        LlmConfig.defaults().withRules(List.of(Rule.user("hi", "Hello there."))),
        LlmProperties.defaults(),
        HttpConfig.defaults().withKeepAliveTimeout(Duration.ofMillis(200)),
        new OutboundHttpProperties(Duration.ofMinutes(1)));
    assertThat(run(ask("hi")).terminal()).isInstanceOf(LlmEvent.Completed.class);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> sim.connections().idleClosed() == 1);

    Recorder second = run(ask("hi"));

    assertThat(second.text()).isEqualTo("Hello there.");
    assertThat(second.terminal()).isInstanceOf(LlmEvent.Completed.class);
    // the request went out on the closed connection, was lost, and went again on a new one
    assertThat(sim.connections().requestsOnClosedConnections()).isEqualTo(1);
    assertThat(sim.llm().requestsFor(CALL_ID)).hasSize(2);
    assertThat(counter(STALE_RESENDS, "target", "llm:sim")).isEqualTo(1);
    // not a provider failure: no retry, no failure
    assertThat(counter(LlmMetrics.RETRIES, "provider", "sim")).isZero();
    assertThat(meters.find(LlmMetrics.FAILURES).counters()).isEmpty();
  }

  @Test
  void aConnectionCutBeforeAnyAnswerOnANewConnectionIsAProviderFailureAndRetried() {
    start(LlmConfig.defaults().withRules(List.of(Rule.user("hi", "Hello there."))));
    sim.faults().next(Faults.Target.LLM, 1, new Fault.DropMidStream(0));

    Recorder recorder = run(ask("hi"));

    assertThat(recorder.text()).isEqualTo("Hello there.");
    assertThat(counter(LlmMetrics.RETRIES, "provider", "sim")).isEqualTo(1);
    assertThat(counter(STALE_RESENDS, "target", "llm:sim")).isZero();
  }

  @Test
  void preparingWarmsAConnectionWithOneCheapRequest() throws Exception {
    // as configured in production: Parley's pool lets go before the host closes
    start(
        LlmConfig.defaults().withRules(List.of(Rule.user("hi", "Hello there."))),
        LlmProperties.defaults(),
        HttpConfig.defaults().withKeepAliveTimeout(Duration.ofMillis(400)),
        new OutboundHttpProperties(Duration.ofMillis(200)));
    assertThat(run(ask("hi")).terminal()).isInstanceOf(LlmEvent.Completed.class);
    Thread.sleep(600);

    model.prepare("sim");
    model.prepare("unknown"); // ignored: the turn's request will say it is not configured
    awaitWarmUps(1);
    Recorder recorder = run(ask("hi"));

    assertThat(recorder.terminal()).isInstanceOf(LlmEvent.Completed.class);
    assertThat(sim.connections().requestsOnClosedConnections()).isZero();
    assertThat(counter(STALE_RESENDS, "target", "llm:sim")).isZero();
    assertThat(counter(WARM_UPS, "target", "llm:sim", "outcome", "failed")).isZero();
    // the warm-up is not a completion
    assertThat(counter(LlmMetrics.REQUESTS, "provider", "sim")).isEqualTo(2);
    assertThat(sim.llm().requestsFor(CALL_ID)).hasSize(2);
  }

  @Test
  void aWarmUpLostOnAClosedConnectionGoesAgainSoTheCompletionIsNotTheOneLost() throws Exception {
    // misconfigured: the host closes sooner than Parley's pool lets go
    start(
        LlmConfig.defaults().withRules(List.of(Rule.user("hi", "Hello there."))),
        LlmProperties.defaults(),
        HttpConfig.defaults().withKeepAliveTimeout(Duration.ofMillis(200)),
        new OutboundHttpProperties(Duration.ofMinutes(1)));
    assertThat(run(ask("hi")).terminal()).isInstanceOf(LlmEvent.Completed.class);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> sim.connections().idleClosed() == 1);

    model.prepare("sim");
    awaitWarmUps(1);
    Recorder recorder = run(ask("hi"));

    assertThat(recorder.terminal()).isInstanceOf(LlmEvent.Completed.class);
    // the warm-up hit the closed connection, not the completion
    assertThat(sim.connections().requestsOnClosedConnections()).isEqualTo(1);
    assertThat(counter(STALE_RESENDS, "target", "llm:sim")).isZero();
    assertThat(counter(LlmMetrics.RETRIES, "provider", "sim")).isZero();
  }

  private void awaitWarmUps(int n) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> counter(WARM_UPS, "target", "llm:sim", "outcome", "ok") == n);
  }

  @Test
  void doesNotRetryWhenTheProviderAsksForALongPause() {
    start(LlmConfig.defaults());
    sim.faults().next(Faults.Target.LLM, 1, new Fault.ErrorStatus(429, Duration.ofSeconds(30)));

    Recorder recorder = run(ask("hi"));

    LlmEvent.Failed failed = recorder.failed();
    assertThat(failed.kind()).isEqualTo(FailureKind.RATE_LIMITED);
    assertThat(failed.retriable()).isTrue();
    assertThat(sim.llm().requestsFor(CALL_ID)).hasSize(1);
    assertThat(counter(LlmMetrics.RETRIES, "provider", "sim")).isZero();
    assertThat(counter(LlmMetrics.FAILURES, "provider", "sim", "kind", "RATE_LIMITED"))
        .isEqualTo(1);
  }

  @Test
  void aServerErrorTwiceFailsRetriableAfterOneRetry() {
    start(LlmConfig.defaults().withFlavor(LlmConfig.Flavor.OPENAI));
    sim.faults().next(Faults.Target.LLM, 2, new Fault.ErrorStatus(500));

    Recorder recorder = run(ask("hi"));

    LlmEvent.Failed failed = recorder.failed();
    assertThat(failed.kind()).isEqualTo(FailureKind.SERVER);
    assertThat(failed.retriable()).isTrue();
    assertThat(failed.message()).contains("HTTP 500").contains("'sim'");
    assertThat(recorder.events).hasSize(1);
    assertThat(sim.llm().requestsFor(CALL_ID)).hasSize(2);
    assertThat(counter(LlmMetrics.RETRIES, "provider", "sim")).isEqualTo(1);
    assertThat(counter(LlmMetrics.FAILURES, "provider", "sim", "kind", "SERVER")).isEqualTo(1);
  }

  @Test
  void aWrongKeyFailsAsAuthWithoutRetryAndTheKeyIsNeverPrinted(CapturedOutput output) {
    start(LlmConfig.defaults());

    Recorder recorder = run(ask("wrongkey", "hi", Duration.ofSeconds(5)));

    LlmEvent.Failed failed = recorder.failed();
    assertThat(failed.kind()).isEqualTo(FailureKind.AUTH);
    assertThat(failed.retriable()).isFalse();
    assertThat(failed.message()).contains("HTTP 401").doesNotContain("sk-not-the-right-one-55e1");
    // (the simulator does not record requests it refuses for their key)
    assertThat(counter(LlmMetrics.RETRIES, "provider", "wrongkey")).isZero();
    assertThat(output.getAll()).doesNotContain("sk-not-the-right-one-55e1").doesNotContain(KEY);
  }

  @Test
  void anUnconfiguredProviderFailsAsAuthWithoutAnyRequest() {
    start(LlmConfig.defaults());

    Recorder recorder = run(ask("xai", "hi", Duration.ofSeconds(5)));

    assertThat(recorder.failed().kind()).isEqualTo(FailureKind.AUTH);
    assertThat(recorder.failed().message()).contains("'xai' is not configured");
    assertThat(sim.llm().requests()).isEmpty();
  }

  @Test
  void cancelMidStreamStopsPromptlyAndNothingFollowsButCancelled() throws Exception {
    start(
        LlmConfig.defaults()
            .withPacing(Duration.ZERO, 10)
            .withRules(
                List.of(
                    Rule.user(
                        "story",
                        "Once upon a time there was a caller who never stopped talking and an"
                            + " agent who listened to every single word of it with patience."))));
    Recorder recorder = new Recorder();
    LlmCall call = model.stream(ask("tell me a story"), recorder);
    Thread runner = Thread.ofVirtual().start(call::run);

    assertThat(recorder.firstDelta.await(5, TimeUnit.SECONDS)).isTrue();
    long cancelledAt = System.nanoTime();
    call.cancel();
    runner.join(Duration.ofSeconds(2));
    long stoppedMillis = (System.nanoTime() - cancelledAt) / 1_000_000;

    assertThat(runner.isAlive()).isFalse();
    assertThat(stoppedMillis).isLessThan(1_000);
    int seen = recorder.events.size();
    Thread.sleep(300);
    assertThat(recorder.events).hasSize(seen);
    assertThat(recorder.failed().kind()).isEqualTo(FailureKind.CANCELLED);
    assertThat(recorder.failed().retriable()).isFalse();
    // 10 words a second: far from all of the story was streamed before the cancel
    assertThat(recorder.text()).startsWith("Once ").hasSizeLessThan(60);
    assertThat(counter(LlmMetrics.FAILURES, "provider", "sim", "kind", "CANCELLED")).isEqualTo(1);
  }

  @Test
  void cancelWhileWaitingForTheFirstTokenStopsPromptly() throws Exception {
    start(LlmConfig.defaults().withPacing(Duration.ofSeconds(20), 0));
    Recorder recorder = new Recorder();
    LlmCall call = model.stream(ask("sim", "hi", Duration.ofSeconds(30)), recorder);
    Thread runner = Thread.ofVirtual().start(call::run);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !sim.llm().requestsFor(CALL_ID).isEmpty());

    long cancelledAt = System.nanoTime();
    call.cancel();
    runner.join(Duration.ofSeconds(2));

    assertThat(runner.isAlive()).isFalse();
    assertThat((System.nanoTime() - cancelledAt) / 1_000_000).isLessThan(1_000);
    assertThat(recorder.events).hasSize(1);
    assertThat(recorder.failed().kind()).isEqualTo(FailureKind.CANCELLED);
  }

  @Test
  void cancelBeforeRunSendsNothingAndASecondRunIsRefused() {
    start(LlmConfig.defaults());
    Recorder recorder = new Recorder();
    LlmCall call = model.stream(ask("hi"), recorder);

    call.cancel();
    call.run();

    assertThat(recorder.failed().kind()).isEqualTo(FailureKind.CANCELLED);
    assertThat(sim.llm().requests()).isEmpty();
    assertThatThrownBy(call::run).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aHungResponseFailsAsTimeoutWithinTheTurnBudget() {
    start(LlmConfig.defaults());
    sim.faults().set(Faults.Target.LLM, new Fault.Hang());

    long started = System.nanoTime();
    Recorder recorder = run(ask("sim", "hi", Duration.ofMillis(800)));
    long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

    LlmEvent.Failed failed = recorder.failed();
    assertThat(failed.kind()).isEqualTo(FailureKind.TIMEOUT);
    assertThat(failed.retriable()).isTrue();
    assertThat(elapsedMillis).isBetween(750L, 2_000L);
    // 800 ms leave no room for a retry within the budget
    assertThat(sim.llm().requestsFor(CALL_ID)).hasSize(1);
    assertThat(counter(LlmMetrics.FAILURES, "provider", "sim", "kind", "TIMEOUT")).isEqualTo(1);
  }

  @Test
  void aResponseSilentPastTheIdleTimeoutIsRetriedWithinTheBudget() {
    LlmProperties quick =
        new LlmProperties(null, Duration.ofMillis(400), null, null, Duration.ofMillis(50), null);
    start(LlmConfig.defaults().withRules(List.of(Rule.user("hi", "Hello again."))), quick);
    sim.faults().next(Faults.Target.LLM, 1, new Fault.Hang());

    Recorder recorder = run(ask("sim", "hi", Duration.ofSeconds(5)));

    assertThat(recorder.text()).isEqualTo("Hello again.");
    assertThat(recorder.terminal()).isInstanceOf(LlmEvent.Completed.class);
    assertThat(sim.llm().requestsFor(CALL_ID)).hasSize(2);
    assertThat(counter(LlmMetrics.RETRIES, "provider", "sim")).isEqualTo(1);
  }

  @Test
  void aStreamCutAfterTheFirstTokensFailsWithoutRepeatingThem() {
    start(LlmConfig.defaults().withRules(List.of(Rule.user("hi", "one two three four five"))));
    sim.faults().next(Faults.Target.LLM, 1, new Fault.DropMidStream(3));

    Recorder recorder = run(ask("hi"));

    assertThat(recorder.text()).isEqualTo("one two ");
    LlmEvent.Failed failed = recorder.failed();
    assertThat(failed.kind()).isEqualTo(FailureKind.SERVER);
    assertThat(failed.retriable()).isTrue();
    assertThat(sim.llm().requestsFor(CALL_ID)).hasSize(1);
  }

  @Test
  void toolParametersThatAreNotAJsonObjectFailAsBadRequestWithoutARequest() {
    start(LlmConfig.defaults());
    LlmRequest request =
        new LlmRequest(
            "sim",
            "grok-4-fast-non-reasoning",
            null,
            CALL_ID,
            List.of(new LlmMessage.User("hi")),
            List.of(new LlmTool("broken", "", "[1,2]")),
            Duration.ofSeconds(5));

    Recorder recorder = run(request);

    assertThat(recorder.failed().kind()).isEqualTo(FailureKind.BAD_REQUEST);
    assertThat(recorder.failed().message()).contains("broken");
    assertThat(sim.llm().requests()).isEmpty();
  }

  @Test
  void anExceptionFromTheListenerPropagatesAndEndsTheCall() {
    start(LlmConfig.defaults().withRules(List.of(Rule.user("hi", "one two three"))));
    List<LlmEvent> seen = new ArrayList<>();
    LlmCall call =
        model.stream(
            ask("hi"),
            event -> {
              seen.add(event);
              throw new IllegalStateException("engine bug");
            });

    assertThatThrownBy(call::run)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("engine bug");
    assertThat(seen).containsExactly(new LlmEvent.TextDelta("one "));
    assertThat(counter(LlmMetrics.RETRIES, "provider", "sim")).isZero();
  }
}
