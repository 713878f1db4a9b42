package io.parley.nodes;

import java.time.Instant;
import java.util.UUID;

/**
 * A node as the {@code node} table last saw it.
 *
 * @param alive its heartbeat is younger than {@code PARLEY_NODE_DEAD_AFTER} and it has not stopped
 * @param stoppedAt when it shut down cleanly, or null
 */
public record Node(
    String id,
    UUID runId,
    String host,
    long pid,
    String version,
    Instant startedAt,
    Instant heartbeatAt,
    Instant stoppedAt,
    boolean alive) {}
