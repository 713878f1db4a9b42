package io.parley.agents;

import java.util.Optional;
import java.util.UUID;

/** What other features (calls, telephony, campaigns) may ask about agents. */
public interface AgentDirectory {

  /** The agent's current configuration, frozen; empty when it does not exist or is deleted. */
  Optional<AgentSnapshot> snapshot(UUID organisationId, UUID agentId);

  /**
   * The agent that answers this E.164 number, in any organisation (a number belongs to one agent
   * only); empty when none does.
   */
  Optional<AgentSnapshot> findByNumber(String e164);

  /**
   * Reads a configuration a call stored ({@link AgentSnapshot#configJson()}), with today's defaults
   * for anything the stored document does not have.
   *
   * @throws IllegalArgumentException when the text is not an agent configuration
   */
  AgentConfig readSnapshot(String configJson);
}
