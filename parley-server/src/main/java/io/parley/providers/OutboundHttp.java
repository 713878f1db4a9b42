package io.parley.providers;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The rules every HTTP client Parley opens to a provider follows, in one place:
 *
 * <ul>
 *   <li>HTTP/1.1. The JDK client's default, HTTP/2, offers an {@code h2c} upgrade on {@code
 *       http://} URLs, which common servers refuse (a Node server with a WebSocket upgrade handler
 *       answers 400): every JDK client is built by {@link #jdkClient}.
 *   <li>Pooled connections are dropped after {@link OutboundHttpProperties#poolIdleLimit()}, below
 *       the idle timeouts of common servers.
 *   <li>A request that fails on a connection the server had closed before any answer arrived is not
 *       the provider's failure ({@link #mayBeStaleConnection}).
 * </ul>
 */
@Component
public final class OutboundHttp {

  private static final Logger log = LoggerFactory.getLogger(OutboundHttp.class);

  /** The JDK client's pool timeout, in whole seconds, read once per JVM by its first client. */
  static final String JDK_KEEP_ALIVE = "jdk.httpclient.keepalive.timeout";

  static final String STALE_RESENDS = "parley.connection.stale.resends";
  static final String WARM_UPS = "parley.connection.warmups";

  private final Duration poolIdleLimit;
  private final MeterRegistry meters;

  public OutboundHttp(OutboundHttpProperties properties, MeterRegistry meters) {
    this.poolIdleLimit = properties.poolIdleLimit();
    this.meters = meters;
    applyToJdkPool(poolIdleLimit);
  }

  /**
   * Counts a request sent once more because its connection turned out to be closed: not a provider
   * failure, so outside the provider's own meters.
   *
   * @param target what was called, e.g. {@code llm:xai}, {@code tts:aura}
   */
  public void staleResend(String target) {
    Counter.builder(STALE_RESENDS)
        .description("Requests sent again at once because their pooled connection had been closed")
        .tag("target", target)
        .register(meters)
        .increment();
  }

  /**
   * Counts a connection warm-up: a cheap request that makes sure a live connection is ready before
   * the request that matters.
   */
  public void warmUp(String target, boolean ok) {
    Counter.builder(WARM_UPS)
        .description("Cheap requests sent to have a live connection ready before it is needed")
        .tag("target", target)
        .tag("outcome", ok ? "ok" : "failed")
        .register(meters)
        .increment();
  }

  /** How long a pooled connection may stay idle before Parley closes it. */
  public Duration poolIdleLimit() {
    return poolIdleLimit;
  }

  /**
   * A JDK client builder that speaks HTTP/1.1 with the given connect timeout. Its pool closes idle
   * connections after the idle limit (a JVM-wide setting of the JDK client).
   */
  public HttpClient.Builder jdkClient(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(connectTimeout);
  }

  /**
   * Whether a request that failed with {@code error} before any response byte arrived may have been
   * written on a pooled connection the server had already closed: anything but a failure to connect
   * or a timeout. Such a request never reached the provider, so sending it once more at once, on a
   * new connection, is safe for a request without side effects (a completion, a synthesis) and is
   * not a provider failure. The JDK client does not say whether a connection was reused, hence
   * "may".
   */
  public static boolean mayBeStaleConnection(IOException error) {
    return !(error instanceof ConnectException) && !(error instanceof HttpTimeoutException);
  }

  private static void applyToJdkPool(Duration limit) {
    if (System.getProperty(JDK_KEEP_ALIVE) != null) {
      log.debug("{} is set explicitly; leaving it", JDK_KEEP_ALIVE);
      return;
    }
    // Whole seconds, rounded down (at least 1): the limit must stay below the server's.
    long seconds = Math.max(1, limit.toSeconds());
    System.setProperty(JDK_KEEP_ALIVE, Long.toString(seconds));
  }
}
