package io.parley.media;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Watches every media loop with a {@link LoopProbe}: lag and busy time per loop on {@code
 * /actuator/prometheus}, and {@link #overloaded()} for the places that take new calls. The node is
 * overloaded while any loop lags beyond {@code PARLEY_MEDIA_OVERLOAD_LAG}, and until every loop has
 * kept within it for {@link #RECOVERY_HOLD}, so a node at the edge does not flap.
 */
@Component
class LoopMonitor implements MediaLoad, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(LoopMonitor.class);

  /** How often each loop's probe runs. */
  static final Duration PERIOD = Duration.ofMillis(100);

  /** How long every loop must keep time before an overloaded node takes calls again. */
  static final Duration RECOVERY_HOLD = Duration.ofSeconds(2);

  private final LoopProbe[] probes;

  @Autowired
  LoopMonitor(MediaLoops loops, MediaLoadSettings settings, MeterRegistry meters) {
    this(loops, settings.overloadLag(), PERIOD, RECOVERY_HOLD, meters);
  }

  LoopMonitor(
      MediaLoops loops, Duration limit, Duration period, Duration hold, MeterRegistry meters) {
    ThreadMXBean threads = cpuClock();
    long now = System.nanoTime();
    List<LoopProbe> all = new ArrayList<>();
    loops
        .group()
        .forEach(
            executor ->
                all.add(
                    new LoopProbe(
                        all.size(),
                        (EventLoop) executor,
                        period,
                        new LoopLag(limit.toNanos(), hold.toNanos(), now),
                        threads,
                        meters)));
    this.probes = all.toArray(LoopProbe[]::new);
    Gauge.builder("parley.media.overloaded", this, monitor -> monitor.overloaded() ? 1 : 0)
        .description("1 while this node refuses new calls because a media loop lags")
        .register(meters);
    for (LoopProbe probe : probes) {
      probe.start();
    }
    log.info(
        "Watching {} media loops every {} ms; new calls are refused while one lags beyond {} ms",
        probes.length,
        period.toMillis(),
        limit.toMillis());
  }

  @Override
  public boolean overloaded() {
    long now = System.nanoTime();
    for (LoopProbe probe : probes) {
      if (probe.overloaded(now)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public List<LoopLoad> loops() {
    long now = System.nanoTime();
    List<LoopLoad> loads = new ArrayList<>(probes.length);
    for (LoopProbe probe : probes) {
      loads.add(
          new LoopLoad(probe.index(), Duration.ofNanos(probe.recentLagNanos(now)), probe.busy()));
    }
    return loads;
  }

  @Override
  public void destroy() {
    for (LoopProbe probe : probes) {
      probe.stop();
    }
  }

  /** The JVM's per-thread CPU clock, or null where it has none (busy time is then not shown). */
  private static ThreadMXBean cpuClock() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (!threads.isThreadCpuTimeSupported() || !threads.isCurrentThreadCpuTimeSupported()) {
      log.warn("This JVM cannot measure thread CPU time: media loop busy time is not shown");
      return null;
    }
    if (!threads.isThreadCpuTimeEnabled()) {
      threads.setThreadCpuTimeEnabled(true);
    }
    return threads;
  }
}
