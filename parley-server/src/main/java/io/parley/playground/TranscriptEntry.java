package io.parley.playground;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One entry of a playground conversation, as stored and as {@code GET
 * /api/playground/sessions/{id}} shows it. The model's history is rebuilt from these on every
 * message, in order: a {@link Tool} entry answers the tool call of the {@link Assistant} entry
 * before it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = TranscriptEntry.User.class, name = "user"),
  @JsonSubTypes.Type(value = TranscriptEntry.Assistant.class, name = "assistant"),
  @JsonSubTypes.Type(value = TranscriptEntry.Tool.class, name = "tool")
})
sealed interface TranscriptEntry {

  /** What the operator typed, standing for what a caller would say. */
  record User(String text, Instant at) implements TranscriptEntry {}

  /**
   * What the agent answered (the greeting first, for an agent), and the tools it called.
   *
   * @param text may be empty when the answer was only tool calls
   */
  record Assistant(String text, List<ToolCall> toolCalls, Instant at) implements TranscriptEntry {
    public Assistant {
      toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }
  }

  /**
   * One tool call of the model.
   *
   * @param arguments the model's arguments: the object it sent, or its text when that was not JSON
   */
  record ToolCall(String id, String name, JsonNode arguments) {}

  /**
   * A tool's dry run.
   *
   * @param result what the model was told, as on a call
   * @param ok false when the tool refused the arguments
   * @param dryRun what a call would have done; null when the tool refused
   */
  record Tool(String callId, String name, JsonNode result, boolean ok, String dryRun, Instant at)
      implements TranscriptEntry {}
}
