package io.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.support.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailureWindowTest {

  /** A clock the test moves by hand. */
  private final ManualClock clock = new ManualClock("2026-01-01T09:00:00Z");

  private final FailureWindow window = new FailureWindow(3, Duration.ofMinutes(15), 100, clock);

  @Test
  void blocksAtTheLimitUntilTheOldestFailureLeavesTheWindow() {
    assertThat(window.recordFailure("k")).isFalse();
    clock.advance(Duration.ofMinutes(5));
    assertThat(window.recordFailure("k")).isFalse();
    assertThat(window.blockedFor("k")).isEmpty();
    clock.advance(Duration.ofMinutes(1));
    assertThat(window.recordFailure("k")).isTrue();

    assertThat(window.blockedFor("k")).contains(Duration.ofMinutes(9));
    clock.advance(Duration.ofMinutes(8));
    assertThat(window.blockedFor("k")).contains(Duration.ofMinutes(1));
    clock.advance(Duration.ofMinutes(1));
    // The first failure is now 15 minutes old and no longer counts.
    assertThat(window.blockedFor("k")).isEmpty();
    assertThat(window.recordFailure("k")).isTrue();
    // Now the failure at minute 5 is the oldest that counts.
    assertThat(window.blockedFor("k")).contains(Duration.ofMinutes(5));
  }

  @Test
  void keysAreCountedApartAndResetClearsOne() {
    window.recordFailure("a");
    window.recordFailure("a");
    window.recordFailure("a");
    window.recordFailure("b");
    assertThat(window.blockedFor("a")).isPresent();
    assertThat(window.blockedFor("b")).isEmpty();
    window.reset("a");
    assertThat(window.blockedFor("a")).isEmpty();
  }

  @Test
  void memoryStaysBoundedByForgettingTheLeastRecentlySeenKeys() {
    FailureWindow small = new FailureWindow(2, Duration.ofMinutes(15), 3, clock);
    small.recordFailure("old");
    small.recordFailure("old");
    for (String key : new String[] {"k1", "k2", "k3"}) {
      small.recordFailure(key);
    }
    assertThat(small.trackedKeys()).isEqualTo(3);
    assertThat(small.blockedFor("old")).isEmpty();
  }

  @Test
  void expiredKeysAreDroppedWhenLookedAt() {
    window.recordFailure("gone");
    clock.advance(Duration.ofMinutes(16));
    assertThat(window.blockedFor("gone")).isEmpty();
    assertThat(window.trackedKeys()).isZero();
  }
}
