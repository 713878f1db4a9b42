package io.parley.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.jobs.JobMetrics.Outcome;
import io.parley.shared.LogSafe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * This node's share of the jobs. Every {@code PARLEY_JOBS_POLL_INTERVAL} one platform thread claims
 * as many due jobs as it has free slots ({@code PARLEY_JOBS_CONCURRENCY}), leases them to this node
 * in the claiming transaction, and runs each on a virtual thread; while they run it renews their
 * leases every third of {@code PARLEY_JOBS_LEASE}. When a batch filled every slot, a finishing job
 * polls again at once instead of waiting for the interval.
 */
final class JobPoller implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(JobPoller.class);
  private static final int MAX_ERROR_LENGTH = 2000;
  private static final Duration BACKLOG_REFRESH = Duration.ofSeconds(15);

  private final JobRepository repository;
  private final JobHandlers handlers;
  private final JobSettings settings;
  private final String node;
  private final Clock clock;
  private final TransactionTemplate claiming;
  private final JobMetrics metrics;
  private final Semaphore slots;
  private final Map<UUID, Job> running = new ConcurrentHashMap<>();
  private final AtomicBoolean wakeQueued = new AtomicBoolean();

  private volatile ScheduledExecutorService ticker;
  private volatile ExecutorService workers;

  // Only touched by the ticker's one thread (or a test calling tick()).
  private Instant lastRenewal = Instant.MIN;
  private Instant lastBacklog = Instant.MIN;
  private boolean failing;
  private volatile boolean batchWasFull;
  private volatile boolean stopping;

  JobPoller(
      JobRepository repository,
      JobHandlers handlers,
      JobSettings settings,
      String node,
      Clock clock,
      PlatformTransactionManager transactions,
      MeterRegistry meters) {
    this.repository = repository;
    this.handlers = handlers;
    this.settings = settings;
    this.node = node;
    this.clock = clock;
    this.claiming = new TransactionTemplate(transactions);
    // Read committed on both vendors: MariaDB's default (repeatable read) would also take gap locks
    // that hold up jobs being scheduled while a claim is open.
    claiming.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
    this.metrics = new JobMetrics(meters, running::size);
    this.slots = new Semaphore(settings.concurrency());
  }

  @Override
  public void start() {
    workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("job-", 0).factory());
    ScheduledExecutorService started =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("job-poller").daemon().factory());
    long interval = settings.pollInterval().toMillis();
    started.scheduleWithFixedDelay(this::tick, interval, interval, TimeUnit.MILLISECONDS);
    ticker = started;
    log.info(
        "Jobs: node {} runs kinds {}, {} at once, polling every {} s, lease {} s",
        node,
        handlers.kinds(),
        settings.concurrency(),
        settings.pollInterval().toMillis() / 1000.0,
        settings.lease().toSeconds());
  }

  /** One round: renew the leases of running jobs when due, claim and start due jobs. */
  void tick() {
    try {
      renewLeases();
      poll();
      refreshBacklog();
      if (failing) {
        failing = false;
        log.info("Jobs: node {} reaches the job table again", node);
      }
    } catch (RuntimeException e) {
      if (!failing) {
        failing = true;
        log.warn("Jobs: node {} could not poll the job table ({})", node, e.toString());
      }
    }
  }

  /** Claims up to the free slots' worth of due jobs and starts them; how many it started. */
  int poll() {
    int free = slots.availablePermits();
    if (free == 0 || handlers.kinds().isEmpty() || workers == null) {
      return 0;
    }
    Instant now = clock.instant();
    List<Job> claimed =
        claiming.execute(
            status -> {
              List<Job> due = repository.lockDue(handlers.kinds(), now, free);
              if (!due.isEmpty()) {
                repository.lease(
                    due.stream().map(Job::id).toList(), node, now.plus(settings.lease()), now);
              }
              return due;
            });
    batchWasFull = claimed.size() == free;
    for (Job job : claimed) {
      // Only this thread takes slots, and it saw this many free.
      slots.acquireUninterruptibly();
      running.put(job.id(), job);
      workers.execute(() -> run(job));
    }
    return claimed.size();
  }

  private void run(Job job) {
    try {
      if (job.attempt() > settings.maxAttempts()) {
        // Its last attempt was on a node that stopped mid-run (the lease expired).
        record(
            job,
            Outcome.ABANDONED,
            "attempt " + (job.attempt() - 1) + " stopped with its node before it finished");
        return;
      }
      JobHandler handler = handlers.find(job.kind()).orElseThrow();
      try {
        handler.run(job);
      } catch (Exception | LinkageError | AssertionError e) {
        // Clears the flag too, so the release below can still take a connection.
        if (stopping && (e instanceof InterruptedException || Thread.interrupted())) {
          handBack(job);
          return;
        }
        boolean last = job.attempt() >= settings.maxAttempts();
        record(job, last ? Outcome.FAILED : Outcome.RETRIED, e.toString());
        return;
      }
      record(job, Outcome.SUCCEEDED, null);
    } catch (RuntimeException e) {
      // The outcome could not be written: the lease expires and the job runs again elsewhere.
      log.warn(
          "Jobs: could not record the outcome of job {} ({}): it will run again after its lease",
          job.id(),
          e.toString());
    } finally {
      running.remove(job.id());
      slots.release();
      wakeIfBacklog();
    }
  }

  /** Interrupted by this node's shutdown: not the job's fault, so another node runs it now. */
  private void handBack(Job job) {
    if (repository.release(job.id(), node, clock.instant())) {
      log.info(
          "Jobs: job {} ({}) interrupted by the shutdown of node {}, handed back",
          job.id(),
          job.kind(),
          node);
    }
  }

  private void record(Job job, Outcome outcome, String error) {
    Instant now = clock.instant();
    String kept = error == null ? null : truncate(error);
    boolean held =
        switch (outcome) {
          case SUCCEEDED -> repository.delete(job.id(), node);
          case RETRIED ->
              repository.retry(
                  job.id(), node, now.plus(settings.backoffAfter(job.attempt())), kept, now);
          case FAILED, ABANDONED -> repository.fail(job.id(), node, kept, now);
        };
    metrics.ran(job.kind(), outcome);
    if (!held) {
      log.warn(
          "Jobs: job {} ({}) finished on node {} after its lease passed to another node",
          job.id(),
          job.kind(),
          node);
    } else if (outcome == Outcome.RETRIED) {
      log.info(
          "Jobs: job {} ({}) attempt {} failed, retried in {} s: {}",
          job.id(),
          job.kind(),
          job.attempt(),
          settings.backoffAfter(job.attempt()).toSeconds(),
          LogSafe.text(error));
    } else if (outcome != Outcome.SUCCEEDED) {
      log.warn(
          "Jobs: job {} ({}) failed after {} attempts, kept with status 'failed': {}",
          job.id(),
          job.kind(),
          Math.min(job.attempt(), settings.maxAttempts()),
          LogSafe.text(error));
    }
  }

  private void renewLeases() {
    Instant now = clock.instant();
    if (running.isEmpty() || now.isBefore(lastRenewal.plus(settings.lease().dividedBy(3)))) {
      return;
    }
    List<UUID> ids = List.copyOf(running.keySet());
    if (ids.isEmpty()) {
      return;
    }
    int held = repository.renew(ids, node, now.plus(settings.lease()), now);
    lastRenewal = now;
    if (held < ids.size()) {
      log.warn(
          "Jobs: node {} lost the lease of {} running job(s): it was stalled past {} s",
          node,
          ids.size() - held,
          settings.lease().toSeconds());
    }
  }

  private void refreshBacklog() {
    Instant now = clock.instant();
    if (now.isBefore(lastBacklog.plus(BACKLOG_REFRESH))) {
      return;
    }
    metrics.due(repository.countDue(now));
    lastBacklog = now;
  }

  private void wakeIfBacklog() {
    ScheduledExecutorService current = ticker;
    if (batchWasFull && current != null && wakeQueued.compareAndSet(false, true)) {
      try {
        current.execute(
            () -> {
              wakeQueued.set(false);
              tick();
            });
      } catch (java.util.concurrent.RejectedExecutionException shutDown) {
        wakeQueued.set(false);
      }
    }
  }

  private static String truncate(String error) {
    return error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
  }

  /** The jobs this node runs now. */
  int running() {
    return running.size();
  }

  /**
   * Stops claiming, then gives running jobs {@code PARLEY_JOBS_SHUTDOWN_WAIT} to finish. Jobs still
   * running after that are interrupted; one that stops on the interrupt is handed back (due again
   * at once, the attempt not counted), one that does not keeps its lease and runs again elsewhere
   * once it expires (it might still be writing, so handing it over sooner could run it twice at
   * once).
   */
  @Override
  public void stop() {
    ScheduledExecutorService stoppingTicker = ticker;
    ticker = null;
    if (stoppingTicker == null) {
      return;
    }
    stoppingTicker.shutdownNow();
    ExecutorService stoppingWorkers = workers;
    try {
      // A round still claiming finishes first, so no claimed job is left without a worker.
      stoppingTicker.awaitTermination(5, TimeUnit.SECONDS);
      stoppingWorkers.shutdown();
      if (!stoppingWorkers.awaitTermination(
          settings.shutdownWait().toMillis(), TimeUnit.MILLISECONDS)) {
        stopping = true;
        stoppingWorkers.shutdownNow();
        // Time for the interrupted jobs to hand themselves back while the database is still open.
        if (!stoppingWorkers.awaitTermination(2, TimeUnit.SECONDS)) {
          log.warn(
              "Jobs: node {} stopped with {} job(s) still running; they run again elsewhere after"
                  + " their lease",
              node,
              running.size());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return ticker != null;
  }

  /** Starts after everything it may call (the web server included) and stops before them. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE;
  }
}
