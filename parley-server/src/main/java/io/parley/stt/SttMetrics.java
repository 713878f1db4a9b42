package io.parley.stt;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/** The adapter's meters, tagged by provider id (a handful of values, set by configuration). */
final class SttMetrics {
  static final String SOCKETS_OPEN = "parley.stt.sockets.open";
  static final String RECONNECTS = "parley.stt.reconnects";
  static final String FRAMES_DROPPED = "parley.stt.frames.dropped";
  static final String FAILURES = "parley.stt.failures";

  private final MeterRegistry registry;
  private final String provider;
  private final AtomicInteger open = new AtomicInteger();
  // Built once: under backpressure a call drops 50 frames a second.
  private final Counter queueFull;

  SttMetrics(MeterRegistry registry, String provider) {
    this.registry = registry;
    this.provider = provider;
    Gauge.builder(SOCKETS_OPEN, open, AtomicInteger::get)
        .description("Provider WebSockets currently open for live transcription")
        .tag("provider", provider)
        .register(registry);
    this.queueFull = framesDroppedCounter("queue_full");
  }

  void socketOpened() {
    open.incrementAndGet();
  }

  void socketClosed() {
    open.decrementAndGet();
  }

  int openSockets() {
    return open.get();
  }

  /** One attempt to replace a dropped socket; {@code succeeded} tells how it went. */
  void reconnect(boolean succeeded) {
    Counter.builder(RECONNECTS)
        .description("Attempts to replace a dropped STT socket, by outcome")
        .tag("provider", provider)
        .tag("outcome", succeeded ? "success" : "failure")
        .register(registry)
        .increment();
  }

  /**
   * Caller audio that never reached the provider: {@code queue_full} when the socket's write buffer
   * was full (the provider or the network not keeping up), {@code gap_too_long} when a reconnect
   * took longer than the replay buffer holds.
   */
  void framesDropped(String reason, double frames) {
    (reason.equals("queue_full") ? queueFull : framesDroppedCounter(reason)).increment(frames);
  }

  private Counter framesDroppedCounter(String reason) {
    return Counter.builder(FRAMES_DROPPED)
        .description("Caller audio frames (20 ms) that could not be sent to the STT provider")
        .tag("provider", provider)
        .tag("reason", reason)
        .register(registry);
  }

  void failure(boolean retriable) {
    Counter.builder(FAILURES)
        .description("STT sessions that ended in a failure")
        .tag("provider", provider)
        .tag("retriable", Boolean.toString(retriable))
        .register(registry)
        .increment();
  }
}
