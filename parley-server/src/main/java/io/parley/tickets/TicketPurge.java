package io.parley.tickets;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Deletes expired tickets every minute. Every node runs it; the deletes are idempotent, so two
 * nodes purging at once only repeat each other's work.
 */
@Component
class TicketPurge implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(TicketPurge.class);

  static final Duration INTERVAL = Duration.ofMinutes(1);

  private final Tickets tickets;
  private volatile ScheduledExecutorService scheduler;

  TicketPurge(Tickets tickets) {
    this.tickets = tickets;
  }

  @Override
  public void start() {
    ScheduledExecutorService started =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("ticket-purge").daemon().factory());
    started.scheduleWithFixedDelay(
        this::purge, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    scheduler = started;
  }

  private void purge() {
    try {
      int purged = tickets.purgeExpired();
      if (purged > 0) {
        log.debug("Purged {} expired tickets", purged);
      }
    } catch (RuntimeException e) {
      log.warn("Could not purge expired tickets: {}", e.toString());
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
