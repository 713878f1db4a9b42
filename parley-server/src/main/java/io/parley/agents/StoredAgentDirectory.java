package io.parley.agents;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Serves agent snapshots from the {@code agent} table. */
@Component
class StoredAgentDirectory implements AgentDirectory {

  private final AgentRepository repository;
  private final AgentJson json;

  StoredAgentDirectory(AgentRepository repository, AgentJson json) {
    this.repository = repository;
    this.json = json;
  }

  @Override
  @Transactional(readOnly = true)
  public Optional<AgentSnapshot> snapshot(UUID organisationId, UUID agentId) {
    return repository.find(organisationId, agentId).map(this::snapshot);
  }

  @Override
  @Transactional(readOnly = true)
  public Optional<AgentSnapshot> findByNumber(String e164) {
    // Agents only ever hold valid E.164 numbers, so nothing else can match; and MariaDB cannot
    // even compare text outside ASCII with the column (a webhook's To may hold anything).
    if (e164 == null || !PhoneNumbers.isE164(e164)) {
      return Optional.empty();
    }
    return repository.findByNumber(e164).map(this::snapshot);
  }

  @Override
  public AgentConfig readSnapshot(String configJson) {
    return json.readSnapshot(configJson);
  }

  private AgentSnapshot snapshot(StoredAgent agent) {
    AgentConfig config = agent.config();
    return new AgentSnapshot(
        agent.id(),
        agent.organisationId(),
        agent.version(),
        config.promptId(),
        config.promptVersion().number(),
        config,
        json.full(config),
        Instant.now());
  }
}
