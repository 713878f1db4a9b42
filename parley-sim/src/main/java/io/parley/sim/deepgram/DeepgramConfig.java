package io.parley.sim.deepgram;

import java.time.Duration;

/**
 * Deepgram simulator settings.
 *
 * @param latency how long after the audio that triggers it a transcript (or utterance end) is sent:
 *     the model's delay
 * @param vadLatency how long after the first speech audio {@code SpeechStarted} is sent: voice
 *     activity detection is much quicker than recognition (default 20 ms)
 * @param idleTimeout the socket closes with 1011/NET-0001 after this long without audio or
 *     KeepAlive
 * @param speechEnergy mean absolute amplitude (linear 16-bit) above which a 20 ms block is speech
 */
public record DeepgramConfig(
    int port,
    String apiKey,
    Duration latency,
    Duration idleTimeout,
    double speechEnergy,
    Duration vadLatency) {

  public DeepgramConfig {
    apiKey = apiKey == null ? "sim-deepgram-key" : apiKey;
    latency = latency == null ? Duration.ofMillis(100) : latency;
    idleTimeout = idleTimeout == null ? Duration.ofSeconds(10) : idleTimeout;
    speechEnergy = speechEnergy <= 0 ? 300 : speechEnergy;
    vadLatency = vadLatency == null ? Duration.ofMillis(20) : vadLatency;
  }

  public DeepgramConfig(
      int port, String apiKey, Duration latency, Duration idleTimeout, double speechEnergy) {
    this(port, apiKey, latency, idleTimeout, speechEnergy, null);
  }

  public static DeepgramConfig defaults() {
    return new DeepgramConfig(0, null, null, null, 0);
  }

  public DeepgramConfig withLatency(Duration newLatency) {
    return new DeepgramConfig(port, apiKey, newLatency, idleTimeout, speechEnergy, vadLatency);
  }

  public DeepgramConfig withIdleTimeout(Duration newIdle) {
    return new DeepgramConfig(port, apiKey, latency, newIdle, speechEnergy, vadLatency);
  }

  public DeepgramConfig withVadLatency(Duration newVadLatency) {
    return new DeepgramConfig(port, apiKey, latency, idleTimeout, speechEnergy, newVadLatency);
  }
}
