package io.parley.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.support.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** One live-calls check per ten seconds per node; the refusal says when to come back. */
class ReconcileLimitTest {

  private final ManualClock clock = new ManualClock("2026-12-07T10:00:00Z");
  private final ReconcileLimit limit = new ReconcileLimit(clock);

  @Test
  void allowsOneCheckPerIntervalAndSaysHowLongToWait() {
    assertThat(limit.tryAcquire()).isEmpty();
    clock.advance(Duration.ofMillis(2500));
    assertThat(limit.tryAcquire()).contains(Duration.ofMillis(7500));

    ErrorResponseException refused = (ErrorResponseException) catchRefusal();
    assertThat(refused.getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    assertThat(refused.getHeaders().getFirst("Retry-After")).isEqualTo("8");
    assertThat(refused.getBody().getProperties()).containsEntry("retryAfterSeconds", 8L);

    clock.advance(Duration.ofMillis(7499));
    assertThat(limit.tryAcquire()).contains(Duration.ofMillis(1));
    assertThat(((ErrorResponseException) catchRefusal()).getHeaders().getFirst("Retry-After"))
        .isEqualTo("1");
    clock.advance(Duration.ofMillis(1));
    assertThat(limit.tryAcquire()).isEmpty();
    assertThat(limit.tryAcquire()).contains(ReconcileLimit.INTERVAL);
  }

  private Throwable catchRefusal() {
    assertThatThrownBy(limit::acquire).isInstanceOf(ErrorResponseException.class);
    try {
      limit.acquire();
      throw new AssertionError("not refused");
    } catch (ErrorResponseException e) {
      return e;
    }
  }
}
