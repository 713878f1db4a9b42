package io.parley.llm;

import java.time.Duration;
import java.util.List;

/**
 * One turn's request to a model.
 *
 * @param providerId the LLM provider id ({@code PARLEY_LLM_<ID>_*}), e.g. {@code xai}
 * @param model the model id the provider knows
 * @param temperature sampling temperature; null leaves the provider's default
 * @param user the call id, sent as the request's {@code user} so provider logs link to the call
 * @param messages the conversation, system prompt first
 * @param tools the functions the model may call (may be empty)
 * @param budget how long the turn may wait for the model to start answering, the one retry
 *     included; once tokens flow only the idle timeout applies
 */
public record LlmRequest(
    String providerId,
    String model,
    Double temperature,
    String user,
    List<LlmMessage> messages,
    List<LlmTool> tools,
    Duration budget) {

  public LlmRequest {
    requireText(providerId, "providerId");
    requireText(model, "model");
    requireText(user, "user");
    if (messages == null || messages.isEmpty()) {
      throw new IllegalArgumentException("A request needs at least one message");
    }
    messages = List.copyOf(messages);
    tools = tools == null ? List.of() : List.copyOf(tools);
    if (budget == null || budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("A request needs a positive time budget");
    }
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("A request needs a " + name);
    }
  }
}
