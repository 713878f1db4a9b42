package io.parley.sim;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Time as the simulators see it. Pacing (20 ms media frames, tokens per second) and mark timers
 * read and wait on this clock, so unit tests can run them on a {@link Virtual} clock and check
 * exact deadlines, while production runs on the {@link #system()} clock.
 */
public interface SimClock {

  /** Milliseconds since an arbitrary origin; only differences are meaningful. */
  long nowMillis();

  /** Microseconds on the same origin, for measurements finer than a millisecond. */
  default long nowMicros() {
    return nowMillis() * 1000;
  }

  /** Blocks the calling thread until {@link #nowMillis()} is at least {@code deadlineMillis}. */
  void sleepUntil(long deadlineMillis) throws InterruptedException;

  default void sleep(Duration duration) throws InterruptedException {
    sleepUntil(nowMillis() + duration.toMillis());
  }

  static SimClock system() {
    return System.INSTANCE;
  }

  /** The wall clock, read through {@link System#nanoTime()} so it never jumps backwards. */
  final class System implements SimClock {
    static final System INSTANCE = new System();
    private final long origin = java.lang.System.nanoTime();

    private System() {}

    @Override
    public long nowMillis() {
      return TimeUnit.NANOSECONDS.toMillis(java.lang.System.nanoTime() - origin);
    }

    @Override
    public long nowMicros() {
      return TimeUnit.NANOSECONDS.toMicros(java.lang.System.nanoTime() - origin);
    }

    @Override
    public void sleepUntil(long deadlineMillis) throws InterruptedException {
      // to the nanosecond, so paced sends (20 ms frames) are not up to a millisecond late
      long wait =
          TimeUnit.MILLISECONDS.toNanos(deadlineMillis) - (java.lang.System.nanoTime() - origin);
      if (wait > 0) {
        Thread.sleep(java.time.Duration.ofNanos(wait));
      }
    }
  }

  /**
   * A clock that only moves when a test calls {@link #advance}. Sleepers wake exactly when the
   * clock reaches their deadline, which makes pacing and mark timing checkable to the millisecond.
   */
  final class Virtual implements SimClock {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition moved = lock.newCondition();
    private final java.util.TreeMap<Long, Integer> deadlines = new java.util.TreeMap<>();
    private long now;
    private int sleepers;

    @Override
    public long nowMillis() {
      lock.lock();
      try {
        return now;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void sleepUntil(long deadlineMillis) throws InterruptedException {
      lock.lock();
      try {
        sleepers++;
        deadlines.merge(deadlineMillis, 1, Integer::sum);
        moved.signalAll();
        try {
          while (now < deadlineMillis) {
            moved.await();
          }
        } finally {
          sleepers--;
          deadlines.computeIfPresent(deadlineMillis, (k, n) -> n == 1 ? null : n - 1);
          moved.signalAll();
        }
      } finally {
        lock.unlock();
      }
    }

    /** Moves time forward by {@code millis}, waking every sleeper whose deadline has come. */
    public void advance(long millis) {
      lock.lock();
      try {
        now += millis;
        moved.signalAll();
      } finally {
        lock.unlock();
      }
    }

    /**
     * Moves time to the earliest deadline a thread sleeps on, waiting (in real time, up to {@code
     * timeout}) for a sleeper to appear; returns the new time.
     */
    public long advanceToNextDeadline(Duration timeout) throws InterruptedException {
      long deadline = java.lang.System.nanoTime() + timeout.toNanos();
      lock.lock();
      try {
        while (deadlines.isEmpty() || deadlines.firstKey() <= now) {
          long left = deadline - java.lang.System.nanoTime();
          if (left <= 0) {
            throw new IllegalStateException("no thread is sleeping on the virtual clock");
          }
          moved.awaitNanos(left);
        }
        now = deadlines.firstKey();
        moved.signalAll();
        return now;
      } finally {
        lock.unlock();
      }
    }

    /** How many threads are sleeping on this clock right now. */
    public int sleepers() {
      lock.lock();
      try {
        return sleepers;
      } finally {
        lock.unlock();
      }
    }

    /** Waits (in real time, up to {@code timeout}) until at least {@code count} threads sleep. */
    public boolean awaitSleepers(int count, Duration timeout) throws InterruptedException {
      long deadline = java.lang.System.nanoTime() + timeout.toNanos();
      lock.lock();
      try {
        while (sleepers < count) {
          long left = deadline - java.lang.System.nanoTime();
          if (left <= 0) {
            return false;
          }
          moved.awaitNanos(left);
        }
        return true;
      } finally {
        lock.unlock();
      }
    }
  }
}
