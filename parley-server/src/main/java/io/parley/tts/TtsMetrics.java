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

  private final MeterRegistry registry;

  TtsMetrics(MeterRegistry registry) {
    this.registry = registry;
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
