package io.parley.tts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The chain's meters, tagged by adapter name (a handful of fixed values). */
final class TtsMetrics {
  static final String FALLBACKS = "parley.tts.fallbacks";
  static final String FAILURES = "parley.tts.failures";
  static final String TIME_TO_FIRST_AUDIO = "parley.tts.time.to.first.audio";

  static final String SOCKETS_OPEN = "parley.tts.sockets.open";

  private final MeterRegistry registry;
  private final java.util.concurrent.atomic.AtomicInteger socketsOpen =
      new java.util.concurrent.atomic.AtomicInteger();

  TtsMetrics(MeterRegistry registry) {
    this.registry = registry;
    io.micrometer.core.instrument.Gauge.builder(SOCKETS_OPEN, socketsOpen, Number::doubleValue)
        .description("Open ElevenLabs stream-input sockets (spares included)")
        .register(registry);
  }

  void socketOpened() {
    socketsOpen.incrementAndGet();
  }

  void socketClosed() {
    socketsOpen.decrementAndGet();
  }

  void fallback(String from, String to) {
    Counter.builder(FALLBACKS)
        .description("Utterances handed from a failed adapter to the next in the chain")
        .tag("from", from)
        .tag("to", to)
        .register(registry)
        .increment();
  }

  void failure(String provider) {
    Counter.builder(FAILURES)
        .description("Adapter attempts that failed (connect, status, stream cut, stall)")
        .tag("provider", provider)
        .register(registry)
        .increment();
  }

  void firstAudio(String provider, Duration elapsed) {
    Timer.builder(TIME_TO_FIRST_AUDIO)
        .description("From an utterance's first text to its first audio")
        .tag("provider", provider)
        .register(registry)
        .record(elapsed);
  }
}
