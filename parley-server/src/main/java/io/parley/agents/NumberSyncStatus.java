package io.parley.agents;

import java.util.Optional;
import java.util.UUID;

/**
 * Where the agent API learns whether the agent's number was pointed at Parley. Agents defines it
 * and telephony implements it, so the dependency runs telephony → agents only.
 */
public interface NumberSyncStatus {

  /**
   * The last sync result for this agent and number: {@code synced}, {@code not_configured} or
   * {@code failed: <reason>}; empty while none has been recorded for this number yet.
   */
  Optional<String> numberSync(UUID organisationId, UUID agentId, String twilioNumber);
}
