package io.parley.jobs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The job poller of this node ({@code PARLEY_JOBS_*}).
 *
 * @param pollInterval {@code PARLEY_JOBS_POLL_INTERVAL}: how often the node looks for due jobs when
 *     it found none; default 1 s
 * @param concurrency {@code PARLEY_JOBS_CONCURRENCY}: jobs this node runs at once; default 4
 * @param lease {@code PARLEY_JOBS_LEASE}: how long a claim holds without renewal; the node renews
 *     it every third of that while the job runs, so this is how long a crashed node's jobs wait
 *     before another node takes them; default 60 s
 * @param maxAttempts {@code PARLEY_JOBS_MAX_ATTEMPTS}: runs before a failing job is kept as failed;
 *     default 5
 * @param retryBackoff {@code PARLEY_JOBS_RETRY_BACKOFF}: the wait after the first failure, doubled
 *     after each further one; default 10 s
 * @param maxRetryBackoff {@code PARLEY_JOBS_MAX_RETRY_BACKOFF}: the longest wait between attempts;
 *     default 1 h
 * @param shutdownWait {@code PARLEY_JOBS_SHUTDOWN_WAIT}: on a clean shutdown, how long running jobs
 *     may finish before they are interrupted and handed back; default 10 s
 */
@ConfigurationProperties("parley.jobs")
public record JobSettings(
    Duration pollInterval,
    Integer concurrency,
    Duration lease,
    Integer maxAttempts,
    Duration retryBackoff,
    Duration maxRetryBackoff,
    Duration shutdownWait) {

  public JobSettings {
    pollInterval = pollInterval == null ? Duration.ofSeconds(1) : pollInterval;
    concurrency = concurrency == null ? 4 : concurrency;
    lease = lease == null ? Duration.ofSeconds(60) : lease;
    maxAttempts = maxAttempts == null ? 5 : maxAttempts;
    retryBackoff = retryBackoff == null ? Duration.ofSeconds(10) : retryBackoff;
    maxRetryBackoff = maxRetryBackoff == null ? Duration.ofHours(1) : maxRetryBackoff;
    shutdownWait = shutdownWait == null ? Duration.ofSeconds(10) : shutdownWait;
    positive("PARLEY_JOBS_POLL_INTERVAL", pollInterval);
    positive("PARLEY_JOBS_RETRY_BACKOFF", retryBackoff);
    if (lease.compareTo(Duration.ofSeconds(3)) < 0) {
      // Renewed every third of it: shorter than that renews more often than a database round trip
      // can be trusted to finish.
      throw new IllegalArgumentException("PARLEY_JOBS_LEASE must be at least 3s, was " + lease);
    }
    if (shutdownWait.isNegative()) {
      throw new IllegalArgumentException(
          "PARLEY_JOBS_SHUTDOWN_WAIT must not be negative, was " + shutdownWait);
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException(
          "PARLEY_JOBS_CONCURRENCY must be at least 1, was " + concurrency);
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException(
          "PARLEY_JOBS_MAX_ATTEMPTS must be at least 1, was " + maxAttempts);
    }
    if (maxRetryBackoff.compareTo(retryBackoff) < 0) {
      throw new IllegalArgumentException(
          "PARLEY_JOBS_MAX_RETRY_BACKOFF must be at least PARLEY_JOBS_RETRY_BACKOFF, was "
              + maxRetryBackoff);
    }
  }

  private static void positive(String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be longer than zero, was " + value);
    }
  }

  /** The wait after the given failed attempt (1-based): the backoff doubled, capped. */
  Duration backoffAfter(int attempt) {
    int doublings = Math.min(Math.max(attempt - 1, 0), 30);
    Duration wait = retryBackoff.multipliedBy(1L << doublings);
    return wait.compareTo(maxRetryBackoff) > 0 ? maxRetryBackoff : wait;
  }
}
