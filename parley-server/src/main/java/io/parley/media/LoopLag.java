package io.parley.media;

/**
 * One loop's lag and the overload rule, as plain arithmetic on {@link System#nanoTime()} values (so
 * a test can drive it with its own). Written only by the loop's probe; read from any thread.
 *
 * <p>The loop is overloaded when lag persists: {@link #SUSTAINED} of its last {@link #PROBES}
 * probes (about a second) ran later than the limit, and then for the hold after the last such probe
 * (one quiet probe after a bad second is not recovery). A single late probe is a hiccup (the
 * machine gave the thread no core for a moment, a collection, a class loaded for the first time)
 * that callers do not hear, and refusing calls for it would turn every hiccup into lost calls. A
 * loop stuck in one task never runs its probe, so a probe overdue by {@link #STUCK_FACTOR} times
 * the limit counts at once.
 */
final class LoopLag {

  /** The window over which the recent worst lag is kept. */
  static final long WINDOW_NANOS = 1_000_000_000L;

  /** How many recent probes the rule looks at (at 100 ms apart, about a second). */
  static final int PROBES = 10;

  /** Late probes among the recent ones that make a sustained lag. */
  static final int SUSTAINED = 3;

  /** A probe overdue by this many times the limit means a loop stuck in one task. */
  static final int STUCK_FACTOR = 5;

  private final long limit;
  private final long hold;

  private volatile long due;
  private volatile long lastOver;
  private volatile long windowStart;
  private volatile long windowMax;
  private volatile long previousMax;
  private int lateProbes; // one bit per recent probe, newest lowest; the probe's thread only

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
    boolean late = lag > limit;
    lateProbes = ((lateProbes << 1) | (late ? 1 : 0)) & ((1 << PROBES) - 1);
    // the hold runs from the latest late probe of a sustained lag, not from the quiet ones after
    if (late && Integer.bitCount(lateProbes) >= SUSTAINED) {
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
    return now - due > STUCK_FACTOR * limit || now - lastOver < hold;
  }

  /**
   * The worst lag of the current and the previous window, or how overdue the probe is now if that
   * is longer: between one and two seconds' worth, and a stuck loop shows a growing figure.
   */
  long recent(long now) {
    return Math.max(Math.max(windowMax, previousMax), now - due);
  }
}
