package io.parley.database;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Deletes the expired rows of every {@link ExpiringRows} bean once a minute. Every node runs it;
 * the deletes are idempotent, so two nodes purging at once only repeat each other's work. One
 * table's failure is logged and does not stop the others.
 */
@Component
class ExpiredRowsPurge implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ExpiredRowsPurge.class);

  static final Duration INTERVAL = Duration.ofMinutes(1);

  private final List<ExpiringRows> tables;
  private volatile ScheduledExecutorService scheduler;

  ExpiredRowsPurge(List<ExpiringRows> tables) {
    this.tables = List.copyOf(tables);
  }

  @Override
  public void start() {
    ScheduledExecutorService started =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("expired-rows-purge").daemon().factory());
    started.scheduleWithFixedDelay(
        this::purge, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    scheduler = started;
  }

  void purge() {
    for (ExpiringRows table : tables) {
      try {
        int purged = table.purgeExpired();
        if (purged > 0) {
          log.debug("Purged {} expired {}", purged, table.what());
        }
      } catch (RuntimeException e) {
        log.warn("Could not purge expired {}: {}", table.what(), e.toString());
      }
    }
  }

  @Override
  public void stop() {
    ScheduledExecutorService running = scheduler;
    scheduler = null;
    if (running != null) {
      running.shutdownNow();
    }
  }

  @Override
  public boolean isRunning() {
    return scheduler != null;
  }
}
