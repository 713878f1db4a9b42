package io.parley.playground;

import io.parley.conversation.DryRunTools;
import io.parley.llm.LanguageModel;
import io.parley.llm.LlmCall;
import io.parley.llm.LlmEvent;
import io.parley.llm.LlmMessage;
import io.parley.llm.LlmRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One reply of the playground, as a call's turn makes it: the model streams an answer; if it calls
 * tools they run (dry) and the model is asked again with their results, until it answers without a
 * tool call or a tool ends the call. Blocks the calling thread (a request's virtual thread).
 */
final class ReplyRun {

  /** Model requests per message: an answer, then up to four more after tool results. */
  static final int MAX_ROUNDS = 5;

  /** How long each request may wait for the model to start answering, as on a call. */
  static final Duration MODEL_BUDGET = Duration.ofSeconds(10);

  /** Where the reply goes as it is made: the SSE response. */
  interface Sink {
    /** Sends one event; never throws. */
    void send(ReplyEvent event);

    /** False once the client has gone: the model is then stopped and what it wrote is kept. */
    boolean open();
  }

  /**
   * What the reply left behind.
   *
   * @param transcript the session's whole transcript, the new entries last
   * @param systemPrompt the prompt to use from now on ({@code switch_prompt} may have changed it)
   * @param ended how the call would have ended, or null
   */
  record Result(
      List<TranscriptEntry> transcript,
      String systemPrompt,
      Ending ended,
      long promptTokens,
      long completionTokens) {}

  private final LanguageModel model;
  private final DryRunTools.Toolset tools;
  private final String promptSuffix;
  private final JsonMapper json;
  private final Clock clock;

  /**
   * @param tools the agent's tools, or null when the session has none
   * @param promptSuffix appended to a prompt {@code switch_prompt} switches to (the language
   *     instruction), as on a call
   */
  ReplyRun(
      LanguageModel model,
      DryRunTools.Toolset tools,
      String promptSuffix,
      JsonMapper json,
      Clock clock) {
    this.model = model;
    this.tools = tools;
    this.promptSuffix = promptSuffix;
    this.json = json;
    this.clock = clock;
  }

  Result run(PlaygroundSession session, String userText, Sink sink) {
    List<TranscriptEntry> transcript = new ArrayList<>(session.transcript());
    transcript.add(new TranscriptEntry.User(userText, clock.instant()));
    String systemPrompt = session.systemPrompt();
    long promptTokens = 0;
    long completionTokens = 0;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Answer answer = ask(session, systemPrompt, transcript, round == MAX_ROUNDS - 1, sink);
      promptTokens += answer.promptTokens;
      completionTokens += answer.completionTokens;
      String text = answer.text.toString().strip();
      if (!text.isEmpty() || !answer.toolCalls.isEmpty()) {
        transcript.add(
            new TranscriptEntry.Assistant(
                text,
                answer.toolCalls.stream()
                    .map(
                        c ->
                            new TranscriptEntry.ToolCall(c.id(), c.name(), read(c.argumentsJson())))
                    .toList(),
                clock.instant()));
      }
      if (answer.failure != null) {
        if (answer.failure.kind() != LlmEvent.FailureKind.CANCELLED) {
          sink.send(
              new ReplyEvent.Failed(
                  "The model failed (" + answer.failure.kind().name().toLowerCase() + ")"));
        }
        return new Result(transcript, systemPrompt, null, promptTokens, completionTokens);
      }
      if (answer.toolCalls.isEmpty()) {
        return new Result(transcript, systemPrompt, null, promptTokens, completionTokens);
      }
      DryRunTools.Ending ending = null;
      String endDetail = null;
      for (LlmEvent.ToolCall call : answer.toolCalls) {
        DryRunTools.Outcome outcome = tools.run(call);
        JsonNode arguments = read(call.argumentsJson());
        JsonNode result = read(outcome.resultJson());
        transcript.add(
            new TranscriptEntry.Tool(
                call.id(), call.name(), result, outcome.ok(), outcome.effect(), clock.instant()));
        sink.send(
            new ReplyEvent.ToolRan(
                call.id(), call.name(), arguments, result, outcome.ok(), outcome.effect()));
        if (outcome.newSystemPrompt() != null) {
          systemPrompt = outcome.newSystemPrompt() + promptSuffix;
        }
        if (ending == null && outcome.ending() != null) {
          ending = outcome.ending();
          endDetail = outcome.effect();
        }
      }
      if (ending != null) {
        if (text.isEmpty()) {
          // As on a call: the agent says goodbye itself when the model said nothing.
          sink.send(new ReplyEvent.Delta(ending.farewell()));
          transcript.add(
              new TranscriptEntry.Assistant(ending.farewell(), List.of(), clock.instant()));
        }
        Ending ended = new Ending(ending.action(), ending.outcome(), endDetail);
        sink.send(new ReplyEvent.Ended(ended.action(), ended.outcome(), ended.detail()));
        return new Result(transcript, systemPrompt, ended, promptTokens, completionTokens);
      }
    }
    return new Result(transcript, systemPrompt, null, promptTokens, completionTokens);
  }

  /** One model request's answer. */
  private static final class Answer {
    final StringBuilder text = new StringBuilder();
    final List<LlmEvent.ToolCall> toolCalls = new ArrayList<>();
    LlmEvent.Failed failure;
    long promptTokens;
    long completionTokens;
  }

  private Answer ask(
      PlaygroundSession session,
      String systemPrompt,
      List<TranscriptEntry> transcript,
      boolean lastRound,
      Sink sink) {
    Answer answer = new Answer();
    LlmRequest request =
        new LlmRequest(
            session.provider(),
            session.model(),
            session.temperature(),
            "playground-" + session.id(),
            history(systemPrompt, transcript),
            // The last round offers no tools, so the model has to answer in words.
            tools == null || lastRound ? List.of() : tools.definitions(),
            MODEL_BUDGET);
    LlmCall[] streaming = new LlmCall[1];
    streaming[0] =
        model.stream(
            request,
            event -> {
              switch (event) {
                case LlmEvent.TextDelta delta -> {
                  answer.text.append(delta.text());
                  sink.send(new ReplyEvent.Delta(delta.text()));
                  if (!sink.open()) {
                    streaming[0].cancel();
                  }
                }
                case LlmEvent.ToolCall call -> answer.toolCalls.add(call);
                case LlmEvent.Completed completed -> {
                  if (completed.usage() != null) {
                    answer.promptTokens = completed.usage().promptTokens();
                    answer.completionTokens = completed.usage().completionTokens();
                  }
                }
                case LlmEvent.Failed failed -> answer.failure = failed;
              }
            });
    streaming[0].run();
    if (answer.failure != null) {
      // A cancelled or failed answer runs no tools: the model had not finished choosing them.
      answer.toolCalls.clear();
    }
    return answer;
  }

  private List<LlmMessage> history(String systemPrompt, List<TranscriptEntry> transcript) {
    List<LlmMessage> messages = new ArrayList<>(transcript.size() + 1);
    messages.add(new LlmMessage.System(systemPrompt));
    for (TranscriptEntry entry : transcript) {
      switch (entry) {
        case TranscriptEntry.User user -> messages.add(new LlmMessage.User(user.text()));
        case TranscriptEntry.Assistant assistant ->
            messages.add(
                new LlmMessage.Assistant(
                    assistant.text(),
                    assistant.toolCalls().stream()
                        .map(c -> new LlmEvent.ToolCall(c.id(), c.name(), write(c.arguments())))
                        .toList()));
        case TranscriptEntry.Tool tool ->
            messages.add(new LlmMessage.ToolResult(tool.callId(), write(tool.result())));
      }
    }
    return messages;
  }

  /** The model's JSON as a tree; text that is not JSON is kept as a string. */
  private JsonNode read(String text) {
    try {
      return json.readTree(text);
    } catch (RuntimeException notJson) {
      return json.getNodeFactory().stringNode(text);
    }
  }

  /** The model's arguments as it sent them (a string node stands for text that was not JSON). */
  private String write(JsonNode node) {
    return node.isString() ? node.asString() : json.writeValueAsString(node);
  }
}
