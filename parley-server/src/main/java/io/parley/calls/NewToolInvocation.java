package io.parley.calls;

import io.parley.shared.InvalidInputException;
import java.time.Instant;

/**
 * One tool call the model made and what came back.
 *
 * @param toolName the tool ({@code end_call}, {@code record_answer}, ...)
 * @param toolCallId the model's id for the call, or null for styles without one
 * @param argumentsJson the arguments as the model sent them (JSON)
 * @param resultJson the result or error returned to the model (JSON), or null
 * @param status ok, or error when the tool failed and the model was told so
 * @param startedAt when the tool started
 * @param durationMs how long it ran, or null
 */
public record NewToolInvocation(
    String toolName,
    String toolCallId,
    String argumentsJson,
    String resultJson,
    ToolStatus status,
    Instant startedAt,
    Long durationMs) {

  public NewToolInvocation {
    if (toolName == null || toolName.isBlank() || toolName.length() > 100) {
      throw new InvalidInputException("toolName", "is required, at most 100 characters");
    }
    if (toolCallId != null && toolCallId.length() > 200) {
      throw new InvalidInputException("toolCallId", "must be at most 200 characters");
    }
    if (argumentsJson == null) {
      throw new InvalidInputException("arguments", "is required (JSON)");
    }
    if (status == null) {
      throw new InvalidInputException("status", "is required");
    }
    if (startedAt == null) {
      throw new InvalidInputException("startedAt", "is required");
    }
    if (durationMs != null && durationMs < 0) {
      throw new InvalidInputException("durationMs", "must be 0 or more");
    }
  }
}
