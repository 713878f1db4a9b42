package io.parley.sim.http;

import java.time.Duration;

/**
 * How every simulator's HTTP server treats connections, as the servers Parley meets in production
 * do (Node.js, express-ws, nginx, load balancers).
 *
 * @param keepAliveTimeout an idle keep-alive connection is closed this long after its last response
 *     (Node's default is 5 s); zero keeps connections open
 * @param refuseH2c a request offering an HTTP/2 cleartext upgrade ({@code Upgrade: h2c}) is
 *     answered 400 and its connection closed, as a Node server with a WebSocket upgrade handler
 *     does
 */
public record HttpConfig(Duration keepAliveTimeout, boolean refuseH2c) {

  public static final Duration NODE_KEEP_ALIVE = Duration.ofSeconds(5);

  public HttpConfig {
    keepAliveTimeout = keepAliveTimeout == null ? NODE_KEEP_ALIVE : keepAliveTimeout;
    if (keepAliveTimeout.isNegative()) {
      throw new IllegalArgumentException("keepAliveTimeout must not be negative");
    }
  }

  public static HttpConfig defaults() {
    return new HttpConfig(NODE_KEEP_ALIVE, true);
  }

  public HttpConfig withKeepAliveTimeout(Duration timeout) {
    return new HttpConfig(timeout, refuseH2c);
  }

  public HttpConfig withRefuseH2c(boolean refuse) {
    return new HttpConfig(keepAliveTimeout, refuse);
  }
}
