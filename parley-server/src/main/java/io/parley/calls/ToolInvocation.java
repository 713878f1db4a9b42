package io.parley.calls;

import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** A stored tool invocation, as the history API shows it. */
public record ToolInvocation(
    UUID id,
    int seq,
    String toolName,
    String toolCallId,
    JsonNode arguments,
    JsonNode result,
    ToolStatus status,
    Instant startedAt,
    Long durationMs) {}
