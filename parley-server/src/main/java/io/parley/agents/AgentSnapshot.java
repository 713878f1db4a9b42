package io.parley.agents;

import java.time.Instant;
import java.util.UUID;

/**
 * An agent's configuration frozen at one moment, for a call to keep. Changing the agent later
 * changes neither the record nor its JSON.
 *
 * @param agentId the agent
 * @param organisationId its organisation
 * @param agentVersion the agent's edit version the snapshot was taken at
 * @param promptId the prompt the agent speaks
 * @param promptVersion the pinned prompt version, or null when the agent follows the latest (the
 *     call resolves and stores the concrete version it used)
 * @param config the typed configuration
 * @param configJson the same configuration as JSON, to store with the call
 * @param takenAt when the snapshot was taken
 */
public record AgentSnapshot(
    UUID agentId,
    UUID organisationId,
    int agentVersion,
    UUID promptId,
    Integer promptVersion,
    AgentConfig config,
    String configJson,
    Instant takenAt) {}
