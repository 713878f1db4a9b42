package io.parley.media;

/**
 * One loop's lag and the overload rule, as plain arithmetic on {@link System#nanoTime()} values (so
 * a test can drive it with its own). Written only by the loop's probe; read from any thread.
 *
 * <p>The loop is overloaded while its probe is overdue by more than the limit (a loop stuck in one
 * task never runs its probe, so waiting for the probe would never notice), and for the hold after
 * any probe that ran later than the limit: one quiet probe after a bad second is not recovery.
 */
final class LoopLag {

  /** The window over which the recent worst lag is kept. */
  static final long WINDOW_NANOS = 1_000_000_000L;

  private final long limit;
  private final long hold;

  private volatile long due;
  private volatile long lastOver;
  private volatile long windowStart;
  private volatile long windowMax;
  private volatile long previousMax;

  LoopLag(long limitNanos, long holdNanos, long now) {
    this.limit = limitNanos;
    this.hold = holdNanos;
    this.due = now;
    this.lastOver = now - holdNanos;
    this.windowStart = now;
  }

  /** The next probe is due at {@code when}. */
  void expect(long when) {
    due = when;
  }

  /** The probe started at {@code start}; returns its lag (never negative). */
  long ran(long start) {
    long lag = Math.max(0, start - due);
    if (lag > limit) {
      lastOver = start;
    }
    if (start - windowStart >= WINDOW_NANOS) {
      previousMax = windowMax;
      windowMax = lag;
      windowStart = start;
    } else if (lag > windowMax) {
      windowMax = lag;
    }
    return lag;
  }

  /** Whether this loop counts as overloaded at {@code now}. */
  boolean overloaded(long now) {
    return now - due > limit || now - lastOver < hold;
  }

  /**
   * The worst lag of the current and the previous window, or how overdue the probe is now if that
   * is longer: between one and two seconds' worth, and a stuck loop shows a growing figure.
   */
  long recent(long now) {
    return Math.max(Math.max(windowMax, previousMax), now - due);
  }
}
