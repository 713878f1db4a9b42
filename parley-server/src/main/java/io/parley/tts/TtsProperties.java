package io.parley.tts;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Network settings of the TTS adapters ({@code PARLEY_TTS_*}).
 *
 * @param connectTimeout longest wait to connect a socket or send a request
 * @param stallTimeout longest wait for the next audio (or the end) once a provider has text it must
 *     speak; past it the provider counts as failed and the next one takes over
 * @param keepAliveInterval how often an open ElevenLabs socket without new text gets a keep-alive
 *     (ElevenLabs closes it after 20 s of silence)
 * @param elevenLabsModel the ElevenLabs model when the voice names none
 * @param auraModel the Aura model when the voice names none
 */
@ConfigurationProperties("parley.tts")
record TtsProperties(
    Duration connectTimeout,
    Duration stallTimeout,
    Duration keepAliveInterval,
    String elevenLabsModel,
    String auraModel) {

  TtsProperties {
    connectTimeout = orDefault(connectTimeout, Duration.ofSeconds(5));
    stallTimeout = orDefault(stallTimeout, Duration.ofSeconds(5));
    keepAliveInterval = orDefault(keepAliveInterval, Duration.ofSeconds(15));
    elevenLabsModel =
        elevenLabsModel == null || elevenLabsModel.isBlank()
            ? "eleven_flash_v2_5"
            : elevenLabsModel;
    auraModel = auraModel == null || auraModel.isBlank() ? "aura-2-thalia-en" : auraModel;
  }

  static TtsProperties defaults() {
    return new TtsProperties(null, null, null, null, null);
  }

  TtsProperties withStallTimeout(Duration stall) {
    return new TtsProperties(connectTimeout, stall, keepAliveInterval, elevenLabsModel, auraModel);
  }

  TtsProperties withKeepAliveInterval(Duration keepAlive) {
    return new TtsProperties(connectTimeout, stallTimeout, keepAlive, elevenLabsModel, auraModel);
  }

  private static Duration orDefault(Duration value, Duration fallback) {
    return value == null || value.isNegative() || value.isZero() ? fallback : value;
  }
}
