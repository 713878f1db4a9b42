package io.parley.agents;

import java.util.List;

/**
 * What Parley can say about an agent's readiness, and nothing it does not know.
 *
 * @param numberSync whether the agent's Twilio number points its webhooks at Parley: {@code none}
 *     when the agent has no number; {@code not_configured} when no Twilio account is configured;
 *     {@code pending} until the sync after the last save has run; {@code synced}; or {@code failed:
 *     <reason>} (saving the agent again retries)
 * @param unconfiguredProviders providers the agent names whose credentials are missing from the
 *     environment, as {@code kind:id} (e.g. {@code llm:xai}); calls cannot use them
 */
record AgentStatus(String numberSync, List<String> unconfiguredProviders) {}
