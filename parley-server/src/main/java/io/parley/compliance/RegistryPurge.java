package io.parley.compliance;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Deletes the numbers no area code points at any more: those of a copy replaced (for some or all of
 * its area codes), of a deleted list, of an import that failed or whose node died while loading. In
 * batches of {@link #BATCH} rows, each its own short statement, so a purge of millions of rows
 * never holds a long lock or a long transaction; the gate does not read these rows (no area code
 * points at them), so it is never slowed or confused by them. Runs after every import and delete on
 * the node that did it, and once a minute on every node (to finish what a stopped node left); two
 * nodes purging at once only repeat each other's deletes.
 */
@Component
class RegistryPurge implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(RegistryPurge.class);

  static final int BATCH = 5_000;
  static final Duration INTERVAL = Duration.ofMinutes(1);

  private final RegistryRepository repository;
  private final Clock clock;
  private final AtomicBoolean requested = new AtomicBoolean();
  private volatile ScheduledExecutorService scheduler;

  RegistryPurge(RegistryRepository repository, ObjectProvider<Clock> clock) {
    this.repository = repository;
    this.clock = clock.getIfUnique(Clock::systemUTC);
  }

  /** Asks for a purge now (after an import or a delete), without waiting for it. */
  void soon() {
    ScheduledExecutorService running = scheduler;
    if (running != null && requested.compareAndSet(false, true)) {
      running.execute(
          () -> {
            requested.set(false);
            purgeQuietly();
          });
    }
  }

  private void purgeQuietly() {
    try {
      long deleted = purge();
      if (deleted > 0) {
        log.info("Deleted {} registry numbers no list uses any more", deleted);
      }
    } catch (RuntimeException e) {
      log.warn("Could not purge registry numbers (tried again in a minute): {}", e.toString());
    }
  }

  /**
   * One pass over every copy that may hold unused rows; the rows deleted. One pass at a time on a
   * node (an import's request and the minute's pass would only get in each other's way).
   */
  synchronized long purge() {
    long deleted = 0;
    List<RegistryRepository.Copy> copies =
        repository.purgeCandidates(clock.instant().minus(RegistryImporter.ABANDONED_AFTER));
    for (RegistryRepository.Copy copy : copies) {
      Set<Integer> inForce =
          "active".equals(copy.status())
              ? new HashSet<>(repository.areasInForce(copy.id()))
              : Set.of();
      int[] unused =
          AreaCodes.parse(copy.coverage(), "coverage").stream()
              .filter(code -> !inForce.contains(code))
              .toArray();
      for (int code : unused) {
        // Another node purging the same rows can make a batch delete nothing while rows remain
        // (it took them first): the loop ends only when none is left.
        while (true) {
          int n = repository.deleteBatch(copy.id(), code, BATCH);
          deleted += n;
          if (n == 0 && !repository.hasNumbers(copy.id(), code)) {
            break;
          }
        }
      }
      if (inForce.isEmpty()) {
        // Its rows are gone: later passes leave it alone; the row stays as the import's record.
        repository.markStatus(
            copy.id(), "active".equals(copy.status()) ? "superseded" : "discarded");
      }
    }
    return deleted;
  }

  @Override
  public void start() {
    ScheduledExecutorService started =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("dnc-registry-purge").daemon().factory());
    scheduler = started;
    started.scheduleWithFixedDelay(
        this::purgeQuietly, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
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
