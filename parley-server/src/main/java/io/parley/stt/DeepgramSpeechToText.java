package io.parley.stt;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.providers.OutboundHttp;
import io.parley.providers.ProviderEndpoint;
import io.parley.providers.ProviderKind;
import io.parley.providers.ProviderRegistry;
import java.net.http.HttpClient;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The Deepgram live adapter: one {@link DeepgramSession} (one WebSocket at a time, one writer
 * thread) per call, all sharing one JDK HTTP client whose callbacks run on virtual threads.
 */
@Component
final class DeepgramSpeechToText implements SpeechToText, DisposableBean {

  private final ProviderRegistry providers;
  private final SttProperties properties;
  private final SttMetrics metrics;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient http;
  private final Set<DeepgramSession> sessions = ConcurrentHashMap.newKeySet();

  DeepgramSpeechToText(
      ProviderRegistry providers,
      SttProperties properties,
      OutboundHttp outbound,
      MeterRegistry meterRegistry) {
    this.providers = providers;
    this.properties = properties;
    this.metrics = new SttMetrics(meterRegistry, SttSpec.DEEPGRAM);
    this.http = outbound.jdkClient(properties.connectTimeout()).executor(executor).build();
  }

  @Override
  public SttSession open(SttSpec spec, SttListener listener) {
    if (spec == null || listener == null) {
      throw new IllegalArgumentException("A session needs a spec and a listener");
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
        new DeepgramSession(this, spec, listener, endpoint.orElse(null), unavailable);
    sessions.add(session);
    session.start();
    return session;
  }

  HttpClient http() {
    return http;
  }

  ExecutorService executor() {
    return executor;
  }

  SttProperties properties() {
    return properties;
  }

  SttMetrics metrics() {
    return metrics;
  }

  /** Called by a session once its writer has stopped and its socket is closed. */
  void ended(DeepgramSession session) {
    sessions.remove(session);
  }

  @Override
  public void destroy() {
    sessions.forEach(DeepgramSession::close);
    sessions.clear();
    // shutdownNow, not close: close would wait for sockets that are still draining.
    http.shutdownNow();
    executor.shutdownNow();
  }
}
