package io.parley.sim.http;

import java.util.function.Consumer;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * Where and how the simulators serve: the listening host, the connection behaviour every server
 * shares ({@link HttpConfig}) and the counters they all report to.
 */
public record Hosting(String host, HttpConfig http, ConnectionStats stats) {

  public Hosting {
    host = host == null ? "127.0.0.1" : host;
    http = http == null ? HttpConfig.defaults() : http;
    stats = stats == null ? new ConnectionStats() : stats;
  }

  /** Default connection behaviour on {@code host}, with counters of its own. */
  public static Hosting on(String host) {
    return new Hosting(host, null, null);
  }

  /** Starts a server named {@code name} (its counters' key) on {@code port} (0: a free one). */
  public SimServer start(
      String name, int port, SimServer.Route route, Consumer<ServerWebSocketContainer> sockets) {
    return new SimServer(name, host, port, http, stats, route, sockets).start();
  }

  /** Starts a server without WebSocket endpoints. */
  public SimServer start(String name, int port, SimServer.Route route) {
    return start(name, port, route, c -> {});
  }
}
