package io.parley.calls;

import java.time.Instant;
import java.util.UUID;

/** One row of the call history list. */
record CallSummary(
    UUID id,
    UUID agentId,
    String agentName,
    CallDirection direction,
    String from,
    String to,
    String twilioCallSid,
    CallStatus status,
    String answeredBy,
    CallOutcome outcome,
    String outcomeReason,
    Instant createdAt,
    Instant startedAt,
    Instant answeredAt,
    Instant endedAt,
    Integer durationSeconds) {}
