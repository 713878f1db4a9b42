package io.parley.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoop;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real loops: a loop kept from its timers overloads the node, shows in the meters, recovers. */
class LoopMonitorTest {

  private static final Duration LIMIT = Duration.ofMillis(50);
  private static final Duration HOLD = Duration.ofMillis(300);

  private final MediaLoops loops = new MediaLoops(2, 0, "paranoid", "auto");
  private final PrometheusMeterRegistry meters =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final LoopMonitor monitor =
      new LoopMonitor(loops, LIMIT, Duration.ofMillis(10), HOLD, meters);

  @AfterEach
  void close() {
    monitor.destroy();
    loops.destroy();
  }

  @Test
  void aLoopBlockedByItsTasksOverloadsTheNodeUntilItKeepsTimeAgain() {
    EventLoop blocked = loopNumber(1);
    // Tasks that each hold the loop for 150 ms, one after another. (The limit is 50 ms rather
    // than 20 so that a machine busy with other work does not keep the node overloaded.)
    for (int i = 0; i < 4; i++) {
      blocked.execute(() -> sleep(150));
    }

    await().atMost(Duration.ofSeconds(2)).until(monitor::overloaded);
    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(
            () -> assertThat(lag("1").max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(100.0));
    assertThat(monitor.loops().get(1).lag()).isGreaterThanOrEqualTo(Duration.ofMillis(100));

    // 600 ms of blocking, then the hold: recovered within a few seconds.
    await().atMost(Duration.ofSeconds(10)).until(() -> !monitor.overloaded());
    assertThat(lag("1").count()).isGreaterThan(1);
  }

  @Test
  void busyTimeIsTheLoopThreadsCpuTime() throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    FunctionCounter busy = meters.get("parley.media.loop.busy").tag("loop", "0").functionCounter();
    // The probe has run once, so the counter knows the thread.
    await().atMost(Duration.ofSeconds(2)).until(() -> lag("0").count() > 0);
    double before = busy.count();

    // Spin on the loop until its thread has used 200 ms of CPU, however long that takes here.
    loopNumber(0)
        .submit(
            () -> {
              long start = threads.getCurrentThreadCpuTime();
              while (threads.getCurrentThreadCpuTime() - start < 200_000_000L) {
                Thread.onSpinWait();
              }
            })
        .get(30, TimeUnit.SECONDS);

    assertThat(busy.count() - before).isGreaterThanOrEqualTo(0.2);
    await()
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(() -> assertThat(monitor.loops().get(0).busy()).isBetween(0.0, 1.0));
  }

  @Test
  void theMetersCarryTheNamesTheOperatorsDocumentGives() {
    await().atMost(Duration.ofSeconds(2)).until(() -> lag("1").count() > 0);

    assertThat(meters.scrape())
        .contains(
            "parley_media_loop_lag_seconds_bucket{loop=\"1\",le=\"0.02\"}",
            "parley_media_loop_lag_seconds_max{loop=\"0\"}",
            "parley_media_loop_lag_recent_seconds{loop=\"1\"}",
            "parley_media_loop_busy_seconds_total{loop=\"0\"}",
            "parley_media_loop_busy_ratio{loop=\"1\"}",
            "parley_media_overloaded ");
  }

  @Test
  void aLoopThatIsShuttingDownDoesNotCountAsOverloaded() {
    loops.destroy();
    sleep(100);
    assertThat(monitor.overloaded()).isFalse();
  }

  private Timer lag(String loop) {
    return meters.get("parley.media.loop.lag").tag("loop", loop).timer();
  }

  private EventLoop loopNumber(int index) {
    List<EventLoop> all = new ArrayList<>();
    loops.group().forEach(executor -> all.add((EventLoop) executor));
    return all.get(index);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
