package io.parley.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * {@code parley.jobs.runs{kind, outcome}} (outcome {@code succeeded}, {@code retried}, {@code
 * failed}: out of attempts, or {@code abandoned}: a crashed run was its last attempt), {@code
 * parley.jobs.running} on this node, and {@code parley.jobs.due}: waiting jobs whose time has come,
 * on every node (the backlog, as this node last counted it).
 */
final class JobMetrics {

  enum Outcome {
    SUCCEEDED,
    RETRIED,
    FAILED,
    ABANDONED;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final MeterRegistry registry;
  private final AtomicLong due = new AtomicLong();

  JobMetrics(MeterRegistry registry, Supplier<Number> running) {
    this.registry = registry;
    Gauge.builder("parley.jobs.running", running)
        .description("Jobs this node is running")
        .register(registry);
    Gauge.builder("parley.jobs.due", due, AtomicLong::get)
        .description("Jobs whose time has come, waiting or running, on every node")
        .register(registry);
  }

  void ran(String kind, Outcome outcome) {
    Counter.builder("parley.jobs.runs")
        .description("Job runs by kind and outcome")
        .tag("kind", kind)
        .tag("outcome", outcome.tag())
        .register(registry)
        .increment();
  }

  void due(long count) {
    due.set(count);
  }
}
