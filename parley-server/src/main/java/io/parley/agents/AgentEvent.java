package io.parley.agents;

import java.util.UUID;

/**
 * Facts about agent definitions, published inside the transaction that wrote them (listen with
 * {@code @TransactionalEventListener} to act only once they are committed). Telephony uses them to
 * point an agent's Twilio number at Parley; agents itself knows nothing about Twilio.
 */
public sealed interface AgentEvent {

  UUID organisationId();

  UUID agentId();

  /**
   * An agent was created or changed.
   *
   * @param version the agent's edit version after the change
   * @param twilioNumber its number now (E.164), or null
   * @param previousNumber its number before the change, or null (also for a new agent)
   */
  record AgentSaved(
      UUID organisationId, UUID agentId, int version, String twilioNumber, String previousNumber)
      implements AgentEvent {}

  /**
   * An agent was deleted; its number (if any) no longer answers for it.
   *
   * @param releasedNumber the number it had, or null
   */
  record AgentDeleted(UUID organisationId, UUID agentId, String releasedNumber)
      implements AgentEvent {}
}
