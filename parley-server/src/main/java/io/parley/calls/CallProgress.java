package io.parley.calls;

import java.time.Instant;

/**
 * The part of a call that carrier reports change, and the merge rule that makes those reports
 * order-independent: the status takes the highest rank seen (the first final status wins), each
 * stage time keeps the earliest report of that stage, and a duration once known stays.
 */
record CallProgress(
    CallStatus status,
    Instant startedAt,
    Instant answeredAt,
    Instant endedAt,
    Integer durationSeconds) {

  CallProgress apply(StatusUpdate update) {
    CallStatus reported = update.status();
    Instant at = update.at();
    boolean moves = reported.rank() > status.rank();
    Instant started = startedAt;
    Instant answered = answeredAt;
    Instant ended = endedAt;
    switch (reported) {
      case QUEUED -> {}
      case INITIATED, RINGING -> started = earliest(started, at);
      case IN_PROGRESS -> {
        started = earliest(started, at);
        answered = earliest(answered, at);
      }
      // A final status that lost to an earlier, different one still tells when the call ended.
      default -> ended = earliest(ended, at);
    }
    // The carrier's duration of the winning final status is authoritative; Parley's own estimate
    // (see finish) only stands in until it arrives.
    Integer duration = durationSeconds;
    if (update.durationSeconds() != null && reported.terminal() && (moves || reported == status)) {
      duration = update.durationSeconds();
    }
    return new CallProgress(moves ? reported : status, started, answered, ended, duration);
  }

  /** Parley ended the call: the end time is known unless the carrier reported one earlier. */
  CallProgress finish(Instant at) {
    Instant ended = earliest(endedAt, at);
    Integer duration = durationSeconds;
    if (duration == null && answeredAt != null && !ended.isBefore(answeredAt)) {
      duration = (int) java.time.Duration.between(answeredAt, ended).toSeconds();
    }
    return new CallProgress(status, startedAt, answeredAt, ended, duration);
  }

  private static Instant earliest(Instant current, Instant candidate) {
    return current == null || candidate.isBefore(current) ? candidate : current;
  }
}
