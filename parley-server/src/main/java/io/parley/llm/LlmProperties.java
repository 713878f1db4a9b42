package io.parley.llm;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Network settings of the OpenAI-compatible adapter ({@code PARLEY_LLM_*}). The per-turn budget is
 * not here: it comes with each {@link LlmRequest}.
 *
 * @param connectTimeout longest wait to connect (and to send the request)
 * @param idleTimeout longest silence from the provider once connected, before and between chunks; a
 *     hung response fails as {@code TIMEOUT} after it
 * @param maxDuration ceiling on one streamed response from request to last byte
 * @param maxRetryAfter longest {@code Retry-After} honoured for the one retry; a provider asking
 *     for a longer pause is not retried within the turn
 * @param retryBackoff pause before the retry when the provider gives no {@code Retry-After}
 * @param minRetryWindow the retry is made only if at least this much of the turn budget remains
 *     after the pause
 */
@ConfigurationProperties("parley.llm")
record LlmProperties(
    Duration connectTimeout,
    Duration idleTimeout,
    Duration maxDuration,
    Duration maxRetryAfter,
    Duration retryBackoff,
    Duration minRetryWindow) {

  LlmProperties {
    connectTimeout = orDefault(connectTimeout, Duration.ofSeconds(5));
    idleTimeout = orDefault(idleTimeout, Duration.ofSeconds(10));
    maxDuration = orDefault(maxDuration, Duration.ofMinutes(2));
    maxRetryAfter = orDefault(maxRetryAfter, Duration.ofSeconds(2));
    retryBackoff = orDefault(retryBackoff, Duration.ofMillis(250));
    minRetryWindow = orDefault(minRetryWindow, Duration.ofSeconds(1));
  }

  static LlmProperties defaults() {
    return new LlmProperties(null, null, null, null, null, null);
  }

  private static Duration orDefault(Duration value, Duration fallback) {
    return value == null || value.isNegative() ? fallback : value;
  }
}
