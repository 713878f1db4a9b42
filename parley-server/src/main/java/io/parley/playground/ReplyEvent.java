package io.parley.playground;

import tools.jackson.databind.JsonNode;

/**
 * What the reply stream sends, in order: text as the model writes it, each tool's dry run, how the
 * call would end (when a tool ends it), then {@code done}; or {@code error} when the model failed.
 * The name is the SSE event name; the record is its JSON data.
 */
sealed interface ReplyEvent {

  String name();

  /** Text of the agent's answer as the model writes it. */
  record Delta(String text) implements ReplyEvent {
    @Override
    public String name() {
      return "delta";
    }
  }

  /** One tool's dry run: its arguments, what the model was told, what a call would have done. */
  record ToolRan(
      String callId, String tool, JsonNode arguments, JsonNode result, boolean ok, String dryRun)
      implements ReplyEvent {
    @Override
    public String name() {
      return "tool";
    }
  }

  /** A tool ended the call: the session takes no more messages. */
  record Ended(String action, String outcome, String detail) implements ReplyEvent {
    @Override
    public String name() {
      return "ended";
    }
  }

  /**
   * The reply is complete and stored.
   *
   * @param entries how many transcript entries the session holds now
   * @param promptTokens tokens sent to the model for this reply, over all its requests
   * @param completionTokens tokens the model wrote for this reply
   */
  record Done(int entries, long promptTokens, long completionTokens) implements ReplyEvent {
    @Override
    public String name() {
      return "done";
    }
  }

  /** The model failed; what it wrote before is kept. */
  record Failed(String detail) implements ReplyEvent {
    @Override
    public String name() {
      return "error";
    }
  }
}
