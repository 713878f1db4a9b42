package io.parley.calls;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of the call history list.
 *
 * @param promptName the prompt's current name (null when the call had no prompt)
 * @param promptVersion the prompt version the call used
 * @param hasRecording whether Twilio reported a recording for the call
 */
public record CallSummary(
    UUID id,
    UUID agentId,
    String agentName,
    UUID promptId,
    String promptName,
    Integer promptVersion,
    UUID campaignId,
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
    Integer durationSeconds,
    boolean hasRecording) {}
