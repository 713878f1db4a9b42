/**
 * Text to speech behind one small interface: {@link io.parley.tts.TextToSpeech} opens a {@link
 * io.parley.tts.TtsSession} that takes text as it streams from the model and gives back μ-law 8 kHz
 * audio as {@link io.parley.tts.TtsEvent}s. Adapters speak ElevenLabs (stream-input WebSocket and
 * REST streaming) and Deepgram Aura (REST); a fallback chain chains them so a failing provider
 * hands its unspoken text to the next one within the same turn. A session lives on the call's event
 * loop: its state, timers, the ElevenLabs socket ({@link io.parley.media.ProviderSocket}) and the
 * listener run there; REST requests run on virtual threads and post their results to it. Endpoints
 * and keys come from the {@code providers} module.
 */
@ApplicationModule(allowedDependencies = {"shared", "providers", "media"})
package io.parley.tts;

import org.springframework.modulith.ApplicationModule;
