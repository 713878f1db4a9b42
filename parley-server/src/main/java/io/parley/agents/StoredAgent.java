package io.parley.agents;

import io.parley.shared.Actor;
import java.time.Instant;
import java.util.UUID;

/** An agent row as the database holds it, with its configuration rebuilt. */
record StoredAgent(
    UUID id,
    UUID organisationId,
    AgentConfig config,
    int version,
    Instant createdAt,
    Instant updatedAt,
    Actor createdBy,
    Actor updatedBy) {}
