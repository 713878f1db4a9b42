package io.parley.sim.deepgram;

import java.time.Duration;

/**
 * Deepgram simulator settings.
 *
 * @param latency how long after the audio that triggers it a message is sent (the model's delay)
 * @param idleTimeout the socket closes with 1011/NET-0001 after this long without audio or
 *     KeepAlive
 * @param speechEnergy mean absolute amplitude (linear 16-bit) above which a 20 ms block is speech
 */
public record DeepgramConfig(
    int port, String apiKey, Duration latency, Duration idleTimeout, double speechEnergy) {

  public DeepgramConfig {
    apiKey = apiKey == null ? "sim-deepgram-key" : apiKey;
    latency = latency == null ? Duration.ofMillis(100) : latency;
    idleTimeout = idleTimeout == null ? Duration.ofSeconds(10) : idleTimeout;
    speechEnergy = speechEnergy <= 0 ? 300 : speechEnergy;
  }

  public static DeepgramConfig defaults() {
    return new DeepgramConfig(0, null, null, null, 0);
  }

  public DeepgramConfig withLatency(Duration newLatency) {
    return new DeepgramConfig(port, apiKey, newLatency, idleTimeout, speechEnergy);
  }

  public DeepgramConfig withIdleTimeout(Duration newIdle) {
    return new DeepgramConfig(port, apiKey, latency, newIdle, speechEnergy);
  }
}
