package io.parley.media;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One audio clock per event loop: every 20 ms it runs the tick of each call on the loop, so the
 * loop wakes once per frame period for all its calls instead of once per call. A call's tick sends
 * whatever audio is due; a frame is at most one period late, well inside the lead kept buffered at
 * Twilio. The clock runs only while some call is registered. Loop thread only.
 */
public final class FrameClock {

  private static final Logger log = LoggerFactory.getLogger(FrameClock.class);

  /** Twilio's frame period. */
  public static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final EventLoop loop;
  private final List<Runnable> ticks = new ArrayList<>();
  private ScheduledFuture<?> running;
  private boolean ticking;
  private boolean removed;

  FrameClock(EventLoop loop) {
    this.loop = loop;
  }

  /** Adds a tick, run every period from now on until removed. On the clock's loop only. */
  public void add(Runnable tick) {
    ticks.add(tick);
    if (running == null) {
      running =
          loop.scheduleAtFixedRate(this::tick, PERIOD_NANOS, PERIOD_NANOS, TimeUnit.NANOSECONDS);
    }
  }

  /** Removes a tick (also from inside a tick). On the clock's loop only. */
  public void remove(Runnable tick) {
    int index = ticks.indexOf(tick);
    if (index < 0) {
      return;
    }
    if (ticking) {
      ticks.set(index, null); // compacted after this round
      removed = true;
    } else {
      ticks.remove(index);
      stopIfIdle();
    }
  }

  /** Calls registered now. */
  public int size() {
    int n = 0;
    for (Runnable tick : ticks) {
      if (tick != null) {
        n++;
      }
    }
    return n;
  }

  private void tick() {
    ticking = true;
    try {
      // Ticks added during the round run from the next one (size read once).
      for (int i = 0, n = ticks.size(); i < n; i++) {
        Runnable tick = ticks.get(i);
        if (tick != null) {
          try {
            tick.run();
          } catch (RuntimeException e) {
            // one call's failure must not stop the clock of every other call on the loop
            log.error("A call's audio tick failed", e);
          }
        }
      }
    } finally {
      ticking = false;
    }
    if (removed) {
      removed = false;
      ticks.removeIf(java.util.Objects::isNull);
      stopIfIdle();
    }
  }

  private void stopIfIdle() {
    if (ticks.isEmpty() && running != null) {
      running.cancel(false);
      running = null;
    }
  }
}
