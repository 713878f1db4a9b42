package io.parley.dialing;

import io.parley.calls.CallDirection;
import io.parley.calls.CallOutcome;
import io.parley.calls.CallRecord;
import io.parley.calls.CallStatus;
import java.time.Instant;
import java.util.UUID;

/**
 * A call as the dial and hang-up endpoints answer it: the history list's fields plus the prompt.
 */
record CallView(
    UUID id,
    UUID agentId,
    String agentName,
    UUID promptId,
    Integer promptVersion,
    CallDirection direction,
    String from,
    String to,
    String twilioCallSid,
    CallStatus status,
    String answeredBy,
    CallOutcome outcome,
    String outcomeReason,
    String idempotencyKey,
    Instant createdAt,
    Instant startedAt,
    Instant answeredAt,
    Instant endedAt,
    Integer durationSeconds) {

  static CallView of(CallRecord call) {
    return new CallView(
        call.id(),
        call.agentId(),
        call.agentName(),
        call.promptId(),
        call.promptVersion(),
        call.direction(),
        call.fromNumber(),
        call.toNumber(),
        call.twilioCallSid(),
        call.status(),
        call.answeredBy(),
        call.outcome(),
        call.outcomeReason(),
        call.idempotencyKey(),
        call.createdAt(),
        call.startedAt(),
        call.answeredAt(),
        call.endedAt(),
        call.durationSeconds());
  }
}
