package io.parley.telephony;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Deletes expired stream tokens every minute. Every node runs it; the deletes are idempotent, so
 * two nodes purging at once only repeat each other's work.
 */
@Component
class MediaTokenPurge implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(MediaTokenPurge.class);

  static final Duration INTERVAL = Duration.ofMinutes(1);

  private final MediaTokens tokens;
  private volatile ScheduledExecutorService scheduler;

  MediaTokenPurge(MediaTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public void start() {
    ScheduledExecutorService started =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("stream-token-purge").daemon().factory());
    started.scheduleWithFixedDelay(
        this::purge, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    scheduler = started;
  }

  private void purge() {
    try {
      int purged = tokens.purgeExpired();
      if (purged > 0) {
        log.debug("Purged {} expired stream tokens", purged);
      }
    } catch (RuntimeException e) {
      log.warn("Could not purge expired stream tokens: {}", e.toString());
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
