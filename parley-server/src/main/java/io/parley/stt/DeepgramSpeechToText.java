package io.parley.stt;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import io.parley.providers.ProviderEndpoint;
import io.parley.providers.ProviderKind;
import io.parley.providers.ProviderRegistry;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The Deepgram live adapter: one {@link DeepgramSession} (one WebSocket at a time) per call, living
 * on the call's event loop. The adapter itself holds no thread.
 */
@Component
final class DeepgramSpeechToText implements SpeechToText, DisposableBean {

  private final ProviderRegistry providers;
  private final SttProperties properties;
  private final SttMetrics metrics;
  private final Set<DeepgramSession> sessions = ConcurrentHashMap.newKeySet();

  DeepgramSpeechToText(
      ProviderRegistry providers, SttProperties properties, MeterRegistry meterRegistry) {
    this.providers = providers;
    this.properties = properties;
    this.metrics = new SttMetrics(meterRegistry, SttSpec.DEEPGRAM);
  }

  @Override
  public SttSession open(SttSpec spec, SttListener listener, EventLoop loop) {
    if (spec == null || listener == null || loop == null) {
      throw new IllegalArgumentException("A session needs a spec, a listener and an event loop");
    }
    Optional<ProviderEndpoint> endpoint =
        SttSpec.DEEPGRAM.equals(spec.providerId())
            ? providers.endpoint(ProviderKind.STT, SttSpec.DEEPGRAM)
            : Optional.empty();
    String unavailable =
        endpoint.isPresent()
            ? null
            : SttSpec.DEEPGRAM.equals(spec.providerId())
                ? "STT provider 'deepgram' is not configured (PARLEY_DEEPGRAM_API_KEY is not set)"
                : "Unknown STT provider '" + spec.providerId() + "'";
    DeepgramSession session =
        new DeepgramSession(this, spec, listener, loop, endpoint.orElse(null), unavailable);
    sessions.add(session);
    session.start();
    return session;
  }

  SttProperties properties() {
    return properties;
  }

  SttMetrics metrics() {
    return metrics;
  }

  /** Called by a session once it has stopped and its socket is cut. */
  void ended(DeepgramSession session) {
    sessions.remove(session);
  }

  @Override
  public void destroy() {
    sessions.forEach(DeepgramSession::close);
    sessions.clear();
  }
}
