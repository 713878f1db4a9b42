package io.parley.sim.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.parley.sim.Fault;
import io.parley.sim.Faults;
import io.parley.sim.SimClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The LLM simulator, driven by the official openai-java client. */
class LlmSimTest {
  private final Faults faults = new Faults();
  private LlmSim sim;

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close();
    }
  }

  private OpenAIClient client(String key) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(sim.baseUrl().toString())
        .apiKey(key)
        .maxRetries(0)
        .timeout(Duration.ofSeconds(10))
        .build();
  }

  private LlmSim start(LlmConfig config) {
    sim = new LlmSim(config, faults, SimClock.system(), "127.0.0.1");
    return sim;
  }

  private static ChatCompletionCreateParams.Builder ask(String text) {
    return ChatCompletionCreateParams.builder()
        .model("grok-4-fast-non-reasoning")
        .addUserMessage(text)
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
  }

  @Test
  void streamsAScriptedReplyWithUsageAndDone() {
    start(
        LlmConfig.defaults()
            .withRules(
                List.of(LlmConfig.Rule.user("opening hours", "We open at nine every day."))));
    OpenAIClient client = client(sim.apiKey());
    ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
    List<ChatCompletionChunk> chunks = new ArrayList<>();
    try (StreamResponse<ChatCompletionChunk> stream =
        client
            .chat()
            .completions()
            .createStreaming(ask("What are your opening hours?").user("CA123").build())) {
      stream.stream().forEach(c -> chunks.add(acc.accumulate(c)));
    }
    ChatCompletion done = acc.chatCompletion();
    assertThat(done.choices().getFirst().message().content())
        .contains("We open at nine every day.");
    assertThat(done.choices().getFirst().finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    // one chunk per word, plus the role chunk, the finish chunk and the usage chunk
    assertThat(chunks).hasSize(6 + 3);
    ChatCompletionChunk last = chunks.getLast();
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(6);
    assertThat(sim.requestsFor("CA123")).hasSize(1);
    assertThat(sim.requestsFor("CA123").getFirst().stream()).isTrue();
  }

  @Test
  void answersWithoutStreamingAndFallsBackToTheDefaultReply() {
    start(LlmConfig.defaults());
    ChatCompletion completion =
        client(sim.apiKey()).chat().completions().create(ask("anything").build());
    assertThat(completion.choices().getFirst().message().content())
        .contains("I am a simulated assistant.");
    assertThat(completion.usage().orElseThrow().totalTokens()).isPositive();
  }

  @Test
  void listsModels() {
    start(LlmConfig.defaults());
    assertThat(client(sim.apiKey()).models().list().data())
        .extracting(m -> m.id())
        .containsExactly("grok-4-fast-non-reasoning");
  }

  @Test
  void streamsParallelToolCallsWholeInOneChunkEach() {
    start(
        LlmConfig.defaults()
            .withRules(
                List.of(
                    LlmConfig.Rule.userToolCalls(
                        "book",
                        LlmConfig.ToolCallStyle.WHOLE,
                        new LlmConfig.ToolCall("check_slot", "{\"day\":\"monday\"}"),
                        new LlmConfig.ToolCall("check_slot", "{\"day\":\"tuesday\"}")))));
    List<ChatCompletionChunk> toolChunks = new ArrayList<>();
    ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
    try (var stream =
        client(sim.apiKey()).chat().completions().createStreaming(ask("book me in").build())) {
      stream.stream()
          .peek(acc::accumulate)
          .filter(c -> c.choices().stream().anyMatch(ch -> ch.delta().toolCalls().isPresent()))
          .forEach(toolChunks::add);
    }
    assertThat(toolChunks).hasSize(2);
    var first = toolChunks.getFirst().choices().getFirst().delta().toolCalls().orElseThrow();
    assertThat(first.getFirst().id()).isPresent();
    assertThat(first.getFirst().function().orElseThrow().arguments())
        .contains("{\"day\":\"monday\"}");
    List<ChatCompletionMessageToolCall> calls =
        acc.chatCompletion().choices().getFirst().message().toolCalls().orElseThrow();
    assertThat(calls).hasSize(2);
    assertThat(calls.get(1).asFunction().function().arguments()).isEqualTo("{\"day\":\"tuesday\"}");
    assertThat(acc.chatCompletion().choices().getFirst().finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
  }

  @Test
  void streamsToolCallArgumentsAsFragmentsAndRepliesToTheToolResult() {
    start(
        LlmConfig.defaults()
            .withRules(
                List.of(
                    LlmConfig.Rule.userToolCalls(
                        "weather",
                        LlmConfig.ToolCallStyle.FRAGMENTS,
                        new LlmConfig.ToolCall(
                            "get_weather", "{\"city\":\"Lisbon\",\"unit\":\"c\"}")),
                    LlmConfig.Rule.tool("sunny", "It is sunny in Lisbon."))));
    OpenAIClient client = client(sim.apiKey());
    ChatCompletionCreateParams.Builder params = ask("what is the weather?");
    ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
    int fragments;
    try (var stream = client.chat().completions().createStreaming(params.build())) {
      fragments =
          (int)
              stream.stream()
                  .peek(acc::accumulate)
                  .filter(
                      c -> c.choices().stream().anyMatch(ch -> ch.delta().toolCalls().isPresent()))
                  .count();
    }
    var message = acc.chatCompletion().choices().getFirst().message();
    var call = message.toolCalls().orElseThrow().getFirst().asFunction();
    assertThat(fragments).isGreaterThan(2);
    assertThat(call.function().name()).isEqualTo("get_weather");
    assertThat(call.function().arguments()).isEqualTo("{\"city\":\"Lisbon\",\"unit\":\"c\"}");

    params
        .addMessage(message)
        .addMessage(
            ChatCompletionToolMessageParam.builder()
                .toolCallId(call.id())
                .content("{\"sky\":\"sunny\"}")
                .build());
    ChatCompletion answer = client.chat().completions().create(params.build());
    assertThat(answer.choices().getFirst().message().content()).contains("It is sunny in Lisbon.");
  }

  @Test
  void rejectsAWrongKeyWithUnauthorized() {
    start(LlmConfig.defaults());
    assertThatThrownBy(() -> client("wrong").chat().completions().create(ask("hi").build()))
        .isInstanceOf(UnauthorizedException.class);
  }

  @Test
  void injectedErrorsMapToTheClientExceptions() {
    start(LlmConfig.defaults().withFlavor(LlmConfig.Flavor.OPENAI));
    OpenAIClient client = client(sim.apiKey());
    faults.next(Faults.Target.LLM, 1, new Fault.ErrorStatus(429, Duration.ofSeconds(2)));
    assertThatThrownBy(() -> client.chat().completions().create(ask("hi").build()))
        .isInstanceOfSatisfying(
            RateLimitException.class,
            e -> assertThat(e.headers().values("Retry-After")).containsExactly("2"));
    faults.next(Faults.Target.LLM, 1, new Fault.ErrorStatus(500));
    assertThatThrownBy(() -> client.chat().completions().create(ask("hi").build()))
        .isInstanceOf(InternalServerException.class);
    // the faults were for one request each: the next one succeeds
    assertThat(client.chat().completions().create(ask("hi").build()).choices()).hasSize(1);
  }

  @Test
  void aPerCallFaultHitsOnlyThatCall() {
    start(LlmConfig.defaults());
    OpenAIClient client = client(sim.apiKey());
    faults.forCall("CA-bad", Faults.Target.LLM, new Fault.ErrorStatus(500));
    assertThatThrownBy(() -> client.chat().completions().create(ask("hi").user("CA-bad").build()))
        .isInstanceOf(InternalServerException.class);
    assertThat(client.chat().completions().create(ask("hi").user("CA-good").build()).choices())
        .hasSize(1);
  }

  @Test
  void aStreamDroppedMidwayFailsTheClient() {
    start(LlmConfig.defaults());
    faults.next(Faults.Target.LLM, 1, new Fault.DropMidStream(2));
    List<ChatCompletionChunk> got = new ArrayList<>();
    assertThatThrownBy(
            () -> {
              try (var stream =
                  client(sim.apiKey()).chat().completions().createStreaming(ask("hi").build())) {
                stream.stream().forEach(got::add);
              }
            })
        .isInstanceOf(OpenAIIoException.class);
    assertThat(got).hasSize(2);
  }

  @Test
  void pacesTokensOnTheVirtualClock() throws Exception {
    SimClock.Virtual clock = new SimClock.Virtual();
    sim =
        new LlmSim(
            LlmConfig.defaults()
                .withPacing(Duration.ofMillis(300), 10)
                .withRules(List.of(LlmConfig.Rule.user(".", "one two three"))),
            faults,
            clock,
            "127.0.0.1");
    List<Long> deadlines = new ArrayList<>();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (var stream =
                      client(sim.apiKey())
                          .chat()
                          .completions()
                          .createStreaming(ask("go").build())) {
                    stream.stream().forEach(c -> {});
                  }
                });
    for (int i = 0; i < 3; i++) {
      deadlines.add(clock.advanceToNextDeadline(Duration.ofSeconds(5)));
    }
    reader.join(Duration.ofSeconds(5));
    assertThat(reader.isAlive()).isFalse();
    // the role chunk and the first word come after the time to first token, then 100 ms apart
    assertThat(deadlines).containsExactly(300L, 400L, 500L);
  }
}
