package io.parley.llm;

import java.util.List;
import java.util.Objects;

/** One message of the conversation sent to the model. */
public sealed interface LlmMessage {

  /** Instructions: the rendered system prompt. */
  record System(String text) implements LlmMessage {
    public System {
      Objects.requireNonNull(text, "text");
    }
  }

  /** What the caller said. */
  record User(String text) implements LlmMessage {
    public User {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * What the model answered earlier (only what the caller heard), with the tool calls it made.
   *
   * @param text may be empty when the turn was only tool calls
   */
  record Assistant(String text, List<LlmEvent.ToolCall> toolCalls) implements LlmMessage {
    public Assistant {
      text = text == null ? "" : text;
      toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
      if (text.isEmpty() && toolCalls.isEmpty()) {
        throw new IllegalArgumentException("An assistant message needs text or tool calls");
      }
    }

    public Assistant(String text) {
      this(text, List.of());
    }
  }

  /** The result of one tool call, sent back under the call's id. */
  record ToolResult(String toolCallId, String content) implements LlmMessage {
    public ToolResult {
      Objects.requireNonNull(toolCallId, "toolCallId");
      Objects.requireNonNull(content, "content");
    }
  }
}
