package io.parley.calls;

import io.parley.shared.InvalidInputException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A carrier status report (a Twilio status callback, a reconciliation lookup).
 *
 * @param status the reported status
 * @param at when it happened (Twilio's {@code Timestamp}, or the time of receipt)
 * @param durationSeconds Twilio's {@code CallDuration} on a final status, or null
 */
public record StatusUpdate(CallStatus status, Instant at, Integer durationSeconds) {

  public StatusUpdate {
    if (status == null) {
      throw new InvalidInputException("status", "is required");
    }
    if (at == null) {
      throw new InvalidInputException("at", "is required");
    }
    if (durationSeconds != null && durationSeconds < 0) {
      throw new InvalidInputException("durationSeconds", "must be 0 or more");
    }
    // The databases keep microseconds; merging at that precision keeps comparisons exact.
    at = at.truncatedTo(ChronoUnit.MICROS);
  }

  public static StatusUpdate of(CallStatus status, Instant at) {
    return new StatusUpdate(status, at, null);
  }
}
