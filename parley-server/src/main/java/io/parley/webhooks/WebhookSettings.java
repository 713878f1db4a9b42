package io.parley.webhooks;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Outbound webhooks ({@code PARLEY_WEBHOOKS_*}).
 *
 * @param allowLoopback {@code PARLEY_WEBHOOKS_ALLOW_LOOPBACK}: lets endpoints on the loopback
 *     interface ({@code 127.0.0.0/8}, {@code ::1}) and plain {@code http://} URLs through, for
 *     tests and local rehearsals only; refused at start-up under the {@code prod} profile. Default
 *     false
 * @param retryFor {@code PARLEY_WEBHOOKS_RETRY_FOR}: how long after an event its delivery is still
 *     retried; default 24 h
 * @param disableAfter {@code PARLEY_WEBHOOKS_DISABLE_AFTER}: an endpoint whose deliveries have
 *     failed (no success) for this long is disabled; default 24 h
 * @param retryBackoff {@code PARLEY_WEBHOOKS_RETRY_BACKOFF}: the wait after the first failed
 *     attempt, doubled after each further one; default 10 s
 * @param maxRetryBackoff {@code PARLEY_WEBHOOKS_MAX_RETRY_BACKOFF}: the longest wait between two
 *     attempts; default 1 h
 */
@ConfigurationProperties("parley.webhooks")
record WebhookSettings(
    Boolean allowLoopback,
    Duration retryFor,
    Duration disableAfter,
    Duration retryBackoff,
    Duration maxRetryBackoff) {

  /** Connect and request timeout of one delivery (the issue fixes it). */
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** The most of a response Parley reads. */
  static final long MAX_RESPONSE_BYTES = 1024 * 1024;

  WebhookSettings {
    allowLoopback = allowLoopback != null && allowLoopback;
    retryFor = retryFor == null ? Duration.ofHours(24) : retryFor;
    disableAfter = disableAfter == null ? Duration.ofHours(24) : disableAfter;
    retryBackoff = retryBackoff == null ? Duration.ofSeconds(10) : retryBackoff;
    maxRetryBackoff = maxRetryBackoff == null ? Duration.ofHours(1) : maxRetryBackoff;
    positive("PARLEY_WEBHOOKS_RETRY_FOR", retryFor);
    positive("PARLEY_WEBHOOKS_DISABLE_AFTER", disableAfter);
    positive("PARLEY_WEBHOOKS_RETRY_BACKOFF", retryBackoff);
    if (maxRetryBackoff.compareTo(retryBackoff) < 0) {
      throw new IllegalArgumentException(
          "PARLEY_WEBHOOKS_MAX_RETRY_BACKOFF must be at least PARLEY_WEBHOOKS_RETRY_BACKOFF, was "
              + maxRetryBackoff);
    }
  }

  static WebhookSettings defaults() {
    return new WebhookSettings(null, null, null, null, null);
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
