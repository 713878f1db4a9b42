package io.parley.agents;

import java.util.List;

/**
 * What Parley can say about an agent's readiness, and nothing it does not know.
 *
 * @param numberSync {@code none} when the agent has no number; {@code not_attempted} when it has
 *     one: Parley does not yet point the number's Twilio webhooks at itself, so that is done in the
 *     Twilio console
 * @param unconfiguredProviders providers the agent names whose credentials are missing from the
 *     environment, as {@code kind:id} (e.g. {@code llm:xai}); calls cannot use them
 */
record AgentStatus(String numberSync, List<String> unconfiguredProviders) {}
