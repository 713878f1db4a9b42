package io.parley.calls;

import java.time.Instant;
import java.util.UUID;

/**
 * The history list's filters, all optional and combined with AND. {@code from} is inclusive and
 * {@code to} exclusive, both on the creation time; {@code fromNumber} and {@code toNumber} match
 * the parties exactly; {@code text} is a case-insensitive substring of any transcript segment.
 */
record CallFilter(
    UUID agentId,
    CallDirection direction,
    CallStatus status,
    CallOutcome outcome,
    String answeredBy,
    UUID campaignId,
    String fromNumber,
    String toNumber,
    Instant from,
    Instant to,
    Boolean hasRecording,
    String text) {

  static CallFilter none() {
    return new CallFilter(null, null, null, null, null, null, null, null, null, null, null, null);
  }
}
