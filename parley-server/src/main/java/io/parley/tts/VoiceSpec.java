package io.parley.tts;

import java.util.Objects;

/**
 * Which voices a session speaks with.
 *
 * @param primary the agent's voice
 * @param fallback the voice used when every adapter of the primary provider fails, or null
 * @param languageCode a BCP-47 or ISO 639-1 code passed to providers that take one, or null
 */
public record VoiceSpec(Voice primary, Voice fallback, String languageCode) {

  public VoiceSpec {
    Objects.requireNonNull(primary, "primary");
  }

  /**
   * One provider's voice.
   *
   * @param provider a TTS provider id ({@code elevenlabs} or {@code deepgram})
   * @param voiceId the provider's voice id (for Aura, the model such as {@code aura-2-thalia-en})
   * @param model the provider's synthesis model, or null for Parley's default
   */
  public record Voice(String provider, String voiceId, String model) {
    public Voice {
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(voiceId, "voiceId");
    }
  }
}
