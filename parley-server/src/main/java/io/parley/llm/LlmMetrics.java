package io.parley.llm;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The adapter's meters, tagged by provider id (a handful of values, set by configuration). */
final class LlmMetrics {
  static final String REQUESTS = "parley.llm.requests";
  static final String RETRIES = "parley.llm.retries";
  static final String FAILURES = "parley.llm.failures";
  static final String TIME_TO_FIRST_TOKEN = "parley.llm.time.to.first.token";

  private final MeterRegistry registry;

  LlmMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void request(String provider) {
    Counter.builder(REQUESTS)
        .description("Streamed completions started (a retry is not a new request)")
        .tag("provider", provider)
        .register(registry)
        .increment();
  }

  void retry(String provider) {
    Counter.builder(RETRIES)
        .description("Completions retried after a rate limit, server error or timeout")
        .tag("provider", provider)
        .register(registry)
        .increment();
  }

  void failure(String provider, LlmEvent.FailureKind kind) {
    Counter.builder(FAILURES)
        .description("Completions that ended in a failure, cancellations included")
        .tag("provider", provider)
        .tag("kind", kind.name())
        .register(registry)
        .increment();
  }

  void firstToken(String provider, Duration elapsed) {
    Timer.builder(TIME_TO_FIRST_TOKEN)
        .description("From sending the request (retry included) to the first text or tool call")
        .tag("provider", provider)
        .register(registry)
        .record(elapsed);
  }
}
