package io.parley.agents;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.parley.shared.Actor;
import java.time.Instant;
import java.util.UUID;

/**
 * An agent as the API shows it: its configuration's fields side by side with the bookkeeping ones.
 * A client may send it back as a PUT body; {@code id}, {@code createdAt}, {@code status} and the
 * like are ignored there.
 */
record AgentView(
    UUID id,
    int version,
    @JsonUnwrapped AgentConfig config,
    Instant createdAt,
    Instant updatedAt,
    Actor createdBy,
    Actor updatedBy,
    AgentStatus status) {}
