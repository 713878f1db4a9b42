package io.parley.telephony;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.support.ManualClock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The per-node concurrency cap: places taken and given back, and ghosts expiring. */
class CallCapacityTest {

  private final ManualClock clock = new ManualClock("2026-11-25T10:00:00Z");
  private final CallCapacity capacity =
      new CallCapacity(new TelephonySettings(null, 2, null), clock);

  @Test
  void theCapRefusesTheCallPastTheLimitUntilAPlaceIsGivenBack() {
    UUID first = UUID.randomUUID();
    UUID second = UUID.randomUUID();
    UUID third = UUID.randomUUID();

    assertThat(capacity.tryAcquire(first)).isTrue();
    assertThat(capacity.tryAcquire(second)).isTrue();
    assertThat(capacity.tryAcquire(third)).isFalse();
    assertThat(capacity.active()).isEqualTo(2);

    capacity.release(first);
    capacity.release(first);
    assertThat(capacity.active()).isEqualTo(1);
    assertThat(capacity.tryAcquire(third)).isTrue();
  }

  @Test
  void acquiringAgainForTheSameCallTakesNoSecondPlace() {
    UUID call = UUID.randomUUID();

    assertThat(capacity.tryAcquire(call)).isTrue();
    assertThat(capacity.tryAcquire(call)).isTrue();
    assertThat(capacity.active()).isEqualTo(1);
    // ...even when the cap is reached: the call already holds its place.
    capacity.tryAcquire(UUID.randomUUID());
    assertThat(capacity.tryAcquire(call)).isTrue();
  }

  @Test
  void aPlaceHeldLongerThanAnyCallCanLastExpires() {
    capacity.tryAcquire(UUID.randomUUID());
    capacity.tryAcquire(UUID.randomUUID());

    clock.advance(CallCapacity.STALE_AFTER.plus(Duration.ofSeconds(1)));

    assertThat(capacity.tryAcquire(UUID.randomUUID())).isTrue();
    assertThat(capacity.active()).isEqualTo(1);
  }

  @Test
  void theLimitDefaultsTo50AndMustBePositive() {
    assertThat(new TelephonySettings(null, null, null).maxConcurrentCalls()).isEqualTo(50);
    assertThatThrownBy(() -> new TelephonySettings(null, 0, null))
        .hasMessageContaining("PARLEY_MAX_CONCURRENT_CALLS");
  }
}
