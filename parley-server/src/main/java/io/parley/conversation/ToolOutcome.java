package io.parley.conversation;

import io.parley.llm.LlmEvent;
import java.time.Instant;

/**
 * What one tool call did, for the model (the result), the call record (the invocation) and the loop
 * (what to do when the agent has finished speaking).
 *
 * @param call the model's tool call
 * @param resultJson the result or error sent back to the model
 * @param ok false when the tool failed or refused; the model is told why
 * @param then what the call does next, or null to keep talking
 * @param newSystemPrompt the rendered prompt to speak from now on ({@code switch_prompt}), or null
 * @param dryRunEffect in the playground's dry run, what the tool would have done on a call; null on
 *     a call and for a refused tool
 */
record ToolOutcome(
    LlmEvent.ToolCall call,
    String resultJson,
    boolean ok,
    Instant startedAt,
    long durationMs,
    EndAction then,
    String newSystemPrompt,
    String dryRunEffect) {

  /** How the agent leaves the call once its last words have played. */
  sealed interface EndAction {

    /** Hang up; {@code outcome} is the call's disposition. */
    record HangUp(io.parley.calls.CallOutcome outcome, String reason, String farewell)
        implements EndAction {}

    /** Hand the caller to another number ({@code <Dial>}). */
    record Transfer(String target, String name, String farewell) implements EndAction {}
  }
}
