package io.parley.calls;

import java.time.Instant;
import java.util.UUID;

/**
 * A call in the live calls stream: what a wallboard shows. Compared as a whole between polls, so
 * any change of a listed field is a change of the stream.
 */
record LiveCall(
    UUID id,
    String callSid,
    CallDirection direction,
    UUID agentId,
    String agentName,
    String from,
    String to,
    CallStatus status,
    String nodeId,
    Instant createdAt,
    Instant startedAt,
    Instant answeredAt) {}
