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
 * @param elevenLabsInactivityTimeout how long ElevenLabs keeps a silent socket open ({@code
 *     inactivity_timeout}, whole seconds, 1 to 180; ElevenLabs' default is 20 s)
 * @param elevenLabsModel the ElevenLabs model when the voice names none
 * @param auraModel the Aura model when the voice names none
 */
@ConfigurationProperties("parley.tts")
record TtsProperties(
    Duration connectTimeout,
    Duration stallTimeout,
    Duration keepAliveInterval,
    Duration elevenLabsInactivityTimeout,
    String elevenLabsModel,
    String auraModel) {

  TtsProperties {
    connectTimeout = orDefault(connectTimeout, Duration.ofSeconds(5));
    stallTimeout = orDefault(stallTimeout, Duration.ofSeconds(5));
    keepAliveInterval = orDefault(keepAliveInterval, Duration.ofSeconds(15));
    long inactivity = orDefault(elevenLabsInactivityTimeout, Duration.ofSeconds(20)).toSeconds();
    elevenLabsInactivityTimeout = Duration.ofSeconds(Math.clamp(inactivity, 1, 180));
    elevenLabsModel =
        elevenLabsModel == null || elevenLabsModel.isBlank()
            ? "eleven_flash_v2_5"
            : elevenLabsModel;
    auraModel = auraModel == null || auraModel.isBlank() ? "aura-2-thalia-en" : auraModel;
  }

  /** The keep-alive period actually used: always well inside the inactivity timeout. */
  Duration keepAliveEvery() {
    Duration inside = elevenLabsInactivityTimeout.multipliedBy(3).dividedBy(4);
    return keepAliveInterval.compareTo(inside) < 0 ? keepAliveInterval : inside;
  }

  static TtsProperties defaults() {
    return new TtsProperties(null, null, null, null, null, null);
  }

  TtsProperties withStallTimeout(Duration stall) {
    return new TtsProperties(
        connectTimeout,
        stall,
        keepAliveInterval,
        elevenLabsInactivityTimeout,
        elevenLabsModel,
        auraModel);
  }

  TtsProperties withKeepAlive(Duration keepAlive, Duration inactivityTimeout) {
    return new TtsProperties(
        connectTimeout, stallTimeout, keepAlive, inactivityTimeout, elevenLabsModel, auraModel);
  }

  private static Duration orDefault(Duration value, Duration fallback) {
    return value == null || value.isNegative() || value.isZero() ? fallback : value;
  }
}
