package io.parley.llm;

import io.parley.providers.OutboundHttp;
import io.parley.providers.ProviderEndpoint;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Okio;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One LLM host's HTTP connections: the OkHttp client the SDK sends through, with a pool that closes
 * idle connections before common servers do ({@link OutboundHttp#poolIdleLimit()}), an event
 * listener that tells each {@link Attempt} whether its connection was reused and whether an answer
 * began, and the warm-up that has a live connection ready when the caller starts to speak.
 */
final class ProviderConnections implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ProviderConnections.class);

  /** Idle connections kept per host: about one per call waiting for its next turn. */
  private static final int MAX_IDLE_CONNECTIONS = 256;

  private final String target;
  private final OkHttpClient http;
  private final OkHttpClient warmUpHttp;
  private final Request warmUp;
  private final OutboundHttp outbound;

  ProviderConnections(ProviderEndpoint endpoint, LlmProperties properties, OutboundHttp outbound) {
    this.target = "llm:" + endpoint.id();
    this.outbound = outbound;
    this.http =
        new OkHttpClient.Builder()
            // Parley alone decides what is sent again (OpenAiCall), so OkHttp must not.
            .retryOnConnectionFailure(false)
            .connectionPool(
                new ConnectionPool(
                    MAX_IDLE_CONNECTIONS,
                    outbound.poolIdleLimit().toMillis(),
                    TimeUnit.MILLISECONDS))
            .eventListenerFactory(Attempt.CONNECTION_EVENTS)
            .connectTimeout(properties.connectTimeout())
            .writeTimeout(properties.connectTimeout())
            .readTimeout(properties.idleTimeout())
            .callTimeout(properties.maxDuration())
            .build();
    // Same pool; a warm-up lost on a connection the host had closed is simply sent again on a
    // new one by OkHttp itself (it is a GET), which is exactly the connection wanted.
    this.warmUpHttp =
        http.newBuilder()
            .retryOnConnectionFailure(true)
            .eventListenerFactory(call -> okhttp3.EventListener.NONE)
            .build();
    HttpUrl models =
        HttpUrl.get(endpoint.baseUrl().toString()).newBuilder().addPathSegment("models").build();
    this.warmUp =
        new Request.Builder()
            .url(models)
            .header("Authorization", "Bearer " + endpoint.apiKey().reveal())
            .get()
            .build();
  }

  OkHttpClient http() {
    return http;
  }

  /**
   * Closes every idle pooled connection: one of them turned out closed by the server, and its
   * siblings, idle about as long, are likely closed too.
   */
  void evictIdle() {
    http.connectionPool().evictAll();
  }

  /** Counts a request sent again after its reused connection turned out closed. */
  void countStaleResend() {
    outbound.staleResend(target);
  }

  /**
   * Makes sure a live connection to the host is in the pool, off the calling thread: one {@code GET
   * {base}/models}, which every OpenAI-compatible host serves without charge. Whatever it answers,
   * the connection it used (new or reused) is fresh afterwards.
   */
  void warmUp() {
    Thread.ofVirtual()
        .name("llm-warm-up")
        .start(
            () -> {
              boolean ok = false;
              try (Response response = warmUpHttp.newCall(warmUp).execute()) {
                ResponseBody body = response.body();
                if (body != null) {
                  // read to the end, or OkHttp cannot reuse the connection
                  body.source().readAll(Okio.blackhole());
                }
                ok = true;
              } catch (IOException | RuntimeException e) {
                log.debug("Warming a connection to {} failed: {}", target, e.toString());
              } finally {
                outbound.warmUp(target, ok);
              }
            });
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
