package io.parley.nodes;

import java.time.Instant;
import java.util.UUID;

/**
 * This process as a node.
 *
 * @param id the node id: the same across restarts (configured or kept in the data directory)
 * @param runId new with every start of the process, so a node's previous run is told from this one
 * @param startedAt when this run started
 * @param host the host name, for operators
 * @param pid the process id, for operators
 * @param version Parley's version, or null when the build carries none
 */
public record NodeIdentity(
    String id, UUID runId, Instant startedAt, String host, long pid, String version) {}
