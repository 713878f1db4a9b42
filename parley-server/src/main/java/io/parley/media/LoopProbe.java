package io.parley.media;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A timer task on one media loop, run every period with a fixed delay: how late it starts is the
 * loop's lag (everything queued on the loop waited at least as long), and the loop thread's CPU
 * time is its busy time. It allocates nothing per run; the meters read its fields.
 */
final class LoopProbe implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(LoopProbe.class);

  private final int index;
  private final EventLoop loop;
  private final long period;
  private final LoopLag lag;
  private final Timer lags;
  private final ThreadMXBean threads;

  private volatile long threadId = -1;
  private volatile double busy = Double.NaN;
  private volatile long cpuSeen;
  private volatile ScheduledFuture<?> future;

  // The loop's own.
  private boolean overloaded;
  private long busySince;
  private long cpuSince;

  LoopProbe(
      int index,
      EventLoop loop,
      Duration period,
      LoopLag lag,
      ThreadMXBean threads,
      MeterRegistry meters) {
    this.index = index;
    this.loop = loop;
    this.period = period.toNanos();
    this.lag = lag;
    this.threads = threads;
    String tag = Integer.toString(index);
    this.lags =
        Timer.builder("parley.media.loop.lag")
            .description("how late the loop's timer probe started: what every task on it waited")
            .tag("loop", tag)
            .serviceLevelObjectives(
                Duration.ofMillis(1),
                Duration.ofMillis(5),
                Duration.ofMillis(10),
                Duration.ofMillis(20),
                Duration.ofMillis(50),
                Duration.ofMillis(100))
            .register(meters);
    Gauge.builder("parley.media.loop.lag.recent", this, LoopProbe::recentLagSeconds)
        .description("the loop's worst probe lag over the last second or so, or the current one")
        .tag("loop", tag)
        .baseUnit("seconds")
        .register(meters);
    if (threads != null) {
      FunctionCounter.builder("parley.media.loop.busy", this, LoopProbe::cpuSeconds)
          .description("CPU time of the loop's thread")
          .tag("loop", tag)
          .baseUnit("seconds")
          .register(meters);
      Gauge.builder("parley.media.loop.busy.ratio", this, LoopProbe::busy)
          .description("share of the last second the loop's thread spent on the CPU")
          .tag("loop", tag)
          .register(meters);
    }
  }

  void start() {
    lag.expect(System.nanoTime() + period);
    future = loop.scheduleWithFixedDelay(this, period, period, TimeUnit.NANOSECONDS);
  }

  void stop() {
    ScheduledFuture<?> running = future;
    if (running != null) {
      running.cancel(false);
    }
  }

  @Override
  public void run() {
    long start = System.nanoTime();
    if (threadId < 0) {
      threadId = Thread.currentThread().threadId();
      busySince = start;
      cpuSince = cpu();
    }
    long late = lag.ran(start);
    lags.record(late, TimeUnit.NANOSECONDS);
    if (threads != null && start - busySince >= LoopLag.WINDOW_NANOS) {
      long cpu = cpu();
      busy = Math.min(1.0, (double) (cpu - cpuSince) / (start - busySince));
      busySince = start;
      cpuSince = cpu;
    }
    boolean now = lag.overloaded(start);
    if (now != overloaded) {
      overloaded = now;
      if (now) {
        log.warn(
            "Media loop {} runs {} ms late: this node refuses new calls until it keeps time again",
            index,
            TimeUnit.NANOSECONDS.toMillis(late));
      } else {
        log.info("Media loop {} keeps time again", index);
      }
    }
    // Netty waits the period from the end of this run: the next run is due then.
    lag.expect(System.nanoTime() + period);
  }

  int index() {
    return index;
  }

  /** Whether this loop counts as overloaded now; a loop that is shutting down never does. */
  boolean overloaded(long now) {
    return !loop.isShuttingDown() && lag.overloaded(now);
  }

  long recentLagNanos(long now) {
    return Math.max(0, lag.recent(now));
  }

  double busy() {
    return busy;
  }

  private double recentLagSeconds() {
    return recentLagNanos(System.nanoTime()) / 1e9;
  }

  private long cpu() {
    long cpu = threads == null ? -1 : threads.getCurrentThreadCpuTime();
    return Math.max(cpu, 0);
  }

  /** The loop thread's CPU time, read from whichever thread scrapes (it only ever grows). */
  private double cpuSeconds() {
    long id = threadId;
    if (id >= 0) {
      long cpu = threads.getThreadCpuTime(id);
      if (cpu > cpuSeen) {
        cpuSeen = cpu;
      }
    }
    return cpuSeen / 1e9;
  }
}
