package io.parley.tts;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import io.parley.providers.OutboundHttp;
import io.parley.providers.ProviderEndpoint;
import io.parley.providers.ProviderKind;
import io.parley.providers.ProviderRegistry;
import io.parley.shared.LogSafe;
import io.parley.shared.SecretScrubber;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The application's {@link TextToSpeech}: every session speaks through a chain of adapters. For an
 * ElevenLabs voice the chain is the stream-input WebSocket, then REST streaming with the same
 * voice, then the agent's fallback voice (Deepgram Aura); a Deepgram voice uses Aura first. A
 * provider without a key is left out of the chain. Each session lives on the event loop it is
 * opened with; this bean keeps no timer or session thread, only the HTTP client the REST adapters
 * share.
 */
@Component
final class FallbackTextToSpeech implements TextToSpeech, DisposableBean {

  private final ProviderRegistry providers;
  private final TtsProperties properties;
  private final TtsMetrics metrics;
  private final HttpClient http;
  private final ElevenLabsSocketProvider elevenLabsSocket;
  private final ElevenLabsRestProvider elevenLabsRest;
  private final AuraProvider aura;

  FallbackTextToSpeech(
      ProviderRegistry providers,
      TtsProperties properties,
      OutboundHttp outbound,
      MeterRegistry meterRegistry) {
    this.providers = providers;
    this.properties = properties;
    this.metrics = new TtsMetrics(meterRegistry);
    this.http = outbound.jdkClient(properties.connectTimeout()).build();
    this.elevenLabsSocket =
        new ElevenLabsSocketProvider(
            () -> endpoint(ProviderRegistry.ELEVENLABS), properties, metrics);
    this.elevenLabsRest =
        new ElevenLabsRestProvider(
            () -> endpoint(ProviderRegistry.ELEVENLABS), http, properties, outbound);
    this.aura =
        new AuraProvider(() -> endpoint(ProviderRegistry.DEEPGRAM), http, properties, outbound);
  }

  @Override
  public TtsSession open(VoiceSpec voice, TtsListener listener, EventLoop loop) {
    Objects.requireNonNull(voice, "voice");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(loop, "loop");
    List<FallbackSession.Link> chain = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    add(chain, missing, voice.primary());
    if (voice.fallback() != null) {
      add(chain, missing, voice.fallback());
    }
    return new FallbackSession(
        chain, voice.languageCode(), listener, loop, metrics, properties, missing, this::scrub);
  }

  /** A failure reason without the key of any TTS provider, on one line. */
  private String scrub(String reason) {
    List<String> keys =
        List.of(ProviderRegistry.ELEVENLABS, ProviderRegistry.DEEPGRAM).stream()
            .flatMap(id -> providers.endpoint(ProviderKind.TTS, id).stream())
            .map(endpoint -> endpoint.apiKey().reveal())
            .toList();
    return LogSafe.text(SecretScrubber.scrub(reason, keys));
  }

  private void add(List<FallbackSession.Link> chain, List<String> missing, VoiceSpec.Voice voice) {
    List<SpeechProvider> adapters =
        switch (voice.provider()) {
          case ProviderRegistry.ELEVENLABS -> List.of(elevenLabsSocket, elevenLabsRest);
          case ProviderRegistry.DEEPGRAM -> List.of(aura);
          default -> List.of();
        };
    if (adapters.isEmpty()) {
      missing.add(voice.provider() + " (no TTS adapter)");
    } else if (!providers.isConfigured(ProviderKind.TTS, voice.provider())) {
      missing.add(voice.provider() + " (not configured)");
    } else {
      adapters.forEach(a -> chain.add(new FallbackSession.Link(a, voice)));
    }
  }

  private ProviderEndpoint endpoint(String id) {
    return providers
        .endpoint(ProviderKind.TTS, id)
        .orElseThrow(() -> new IllegalStateException("TTS provider " + id + " is not configured"));
  }

  @Override
  public void destroy() {
    http.close();
  }
}
