package io.parley.calls;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * At most one live-calls check against Twilio per {@link #INTERVAL} on this node: each check costs
 * up to three list requests of the account's REST quota, which the dialler needs, and a wallboard
 * left refreshing must not spend it. Per node (in memory), so a cluster allows one per node.
 */
@Component
class ReconcileLimit {

  static final Duration INTERVAL = Duration.ofSeconds(10);

  private final Clock clock;
  private Instant last;

  ReconcileLimit(Clock clock) {
    this.clock = clock;
  }

  /** Takes the slot, or throws 429 with {@code Retry-After} (whole seconds, rounded up). */
  void acquire() {
    Optional<Duration> wait = tryAcquire();
    if (wait.isPresent()) {
      long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
      ProblemDetail problem =
          ProblemDetail.forStatusAndDetail(
              HttpStatus.TOO_MANY_REQUESTS,
              "The calls were checked against Twilio less than "
                  + INTERVAL.toSeconds()
                  + " seconds ago on this server; try again in "
                  + seconds
                  + " seconds.");
      problem.setTitle("Checked too recently");
      problem.setProperties(Map.of("retryAfterSeconds", seconds));
      ErrorResponseException refusal =
          new ErrorResponseException(HttpStatus.TOO_MANY_REQUESTS, problem, null);
      refusal.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
      throw refusal;
    }
  }

  /** Empty when the slot is taken now; else how long until it is free. */
  synchronized Optional<Duration> tryAcquire() {
    Instant now = clock.instant();
    if (last != null && now.isBefore(last.plus(INTERVAL))) {
      return Optional.of(Duration.between(now, last.plus(INTERVAL)));
    }
    last = now;
    return Optional.empty();
  }
}
