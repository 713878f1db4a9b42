package io.parley.jobs;

import java.time.Instant;
import java.util.UUID;

/**
 * A job handed to its handler.
 *
 * @param payload the JSON text it was scheduled with
 * @param attempt 1 on the first run; more after a failure or after the node running it crashed
 * @param dedupeKey the key it was scheduled with, or null
 */
public record Job(
    UUID id, String kind, String payload, String dedupeKey, Instant runAt, int attempt) {}
