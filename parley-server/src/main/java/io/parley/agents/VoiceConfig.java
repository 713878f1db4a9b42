package io.parley.agents;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * A text-to-speech voice.
 *
 * @param provider a TTS provider id ({@code elevenlabs}, {@code deepgram})
 * @param voiceId the provider's voice id
 * @param model the provider's synthesis model, or null for the provider's default
 */
public record VoiceConfig(
    @NotBlank @Size(max = 64) String provider,
    @NotBlank @Size(max = 200) String voiceId,
    @Size(max = 200) String model) {}
