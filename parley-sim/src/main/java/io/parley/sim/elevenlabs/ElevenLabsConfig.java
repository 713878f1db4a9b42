package io.parley.sim.elevenlabs;

import java.time.Duration;

/**
 * ElevenLabs simulator settings.
 *
 * @param firstAudio delay between a generation being triggered and its first audio chunk
 */
public record ElevenLabsConfig(int port, String apiKey, Duration firstAudio) {

  public ElevenLabsConfig {
    apiKey = apiKey == null ? "sim-elevenlabs-key" : apiKey;
    firstAudio = firstAudio == null ? Duration.ofMillis(150) : firstAudio;
  }

  public static ElevenLabsConfig defaults() {
    return new ElevenLabsConfig(0, null, null);
  }

  public ElevenLabsConfig withFirstAudio(Duration newFirstAudio) {
    return new ElevenLabsConfig(port, apiKey, newFirstAudio);
  }
}
