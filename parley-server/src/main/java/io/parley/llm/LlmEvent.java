package io.parley.llm;

import java.util.Objects;

/**
 * What a streamed completion produces: any number of {@link TextDelta}s and {@link ToolCall}s, then
 * exactly one terminal {@link Completed} or {@link Failed}.
 */
public sealed interface LlmEvent {

  /** A piece of the answer's text, as the model streamed it (never empty). */
  record TextDelta(String text) implements LlmEvent {
    public TextDelta {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * A whole tool call, accumulated from the stream whichever wire style the provider uses (OpenAI's
   * argument fragments or xAI's one chunk per call). Parallel calls arrive in index order.
   *
   * @param id the provider's id, echoed back in the tool result
   * @param name the function name
   * @param argumentsJson the arguments as JSON text ({@code {}} when the model sent none)
   */
  record ToolCall(String id, String name, String argumentsJson) implements LlmEvent {
    public ToolCall {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      argumentsJson = argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson;
    }
  }

  /** The model finished; {@code usage} is zero when the provider did not report it. */
  record Completed(FinishReason finishReason, Usage usage) implements LlmEvent {
    public Completed {
      Objects.requireNonNull(finishReason, "finishReason");
      usage = usage == null ? Usage.NONE : usage;
    }
  }

  /**
   * The call ended without an answer (or, after some events, without the rest of it).
   *
   * @param retriable true when the same request may succeed later (rate limit, server error,
   *     timeout); false for bad keys, bad requests and cancellation
   * @param message for logs and the call record; never contains a key
   */
  record Failed(FailureKind kind, boolean retriable, String message) implements LlmEvent {
    public Failed {
      Objects.requireNonNull(kind, "kind");
      message = message == null ? kind.name() : message;
    }
  }

  /** Why the model stopped. */
  enum FinishReason {
    STOP,
    LENGTH,
    TOOL_CALLS,
    CONTENT_FILTER,
    OTHER
  }

  /** Token counts the provider reported for the whole completion. */
  record Usage(long promptTokens, long completionTokens) {
    public static final Usage NONE = new Usage(0, 0);
  }

  /**
   * What went wrong, coarse enough for the call engine to choose what to say and whether to retry.
   */
  enum FailureKind {
    RATE_LIMITED,
    SERVER,
    TIMEOUT,
    AUTH,
    BAD_REQUEST,
    CANCELLED
  }
}
