package io.parley.shared;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Sleeping until an instant, for the virtual threads that wait for a booked dial slot. */
public final class Waiting {

  private Waiting() {}

  /**
   * Sleeps until {@code instant} by {@code clock}; returns at once when it has passed.
   *
   * @return false when interrupted (the interrupt flag is set again): the node is stopping
   */
  public static boolean until(Clock clock, Instant instant) {
    Duration wait = Duration.between(clock.instant(), instant);
    if (wait.isNegative() || wait.isZero()) {
      return true;
    }
    try {
      Thread.sleep(wait);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
