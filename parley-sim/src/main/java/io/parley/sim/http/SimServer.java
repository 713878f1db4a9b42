package io.parley.sim.http;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Jetty server on its own port: each simulator gets one, so each has its own base URL just like
 * the real service has its own host. HTTP requests go to a {@link Route}; WebSocket paths are
 * mapped on the container before start. Connections are treated as the servers Parley meets in
 * production treat them ({@link HttpConfig}): idle keep-alive connections are closed, and an h2c
 * upgrade offer is refused.
 */
public final class SimServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SimServer.class);

  /** Handles one HTTP exchange; returning false answers 404. */
  @FunctionalInterface
  public interface Route {
    boolean handle(Exchange exchange) throws Exception;
  }

  /** How often idle connections are looked for: a close comes at most this late. */
  private static final long SWEEP_MILLIS = 100;

  private final Server server;
  private final ServerConnector connector;
  private final String name;
  private final HttpConfig http;
  private final ConnectionStats stats;
  private final IdleConnections idle;
  private volatile boolean running;

  public SimServer(
      String name,
      String host,
      int port,
      HttpConfig http,
      ConnectionStats stats,
      Route route,
      Consumer<ServerWebSocketContainer> sockets) {
    this.name = name;
    this.http = http;
    this.stats = stats;
    this.idle = new IdleConnections(http.keepAliveTimeout());
    QueuedThreadPool pool = new QueuedThreadPool(400, 8);
    pool.setName("sim-" + name);
    server = new Server(pool);
    connector = new ServerConnector(server);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    WebSocketUpgradeHandler upgrade = WebSocketUpgradeHandler.from(server, sockets);
    upgrade.setHandler(new RouteHandler(route));
    // Jetty's own idle timeout (30 s) stays as a backstop; the keep-alive limit is enforced here
    server.setHandler(upgrade);
    // no graceful drain: a simulator stops like a crashed service, at once
    server.setStopTimeout(0);
  }

  public SimServer start() {
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the " + name + " simulator", e);
    }
    running = true;
    if (idle.enabled()) {
      scheduleSweep(server.getScheduler());
    }
    return this;
  }

  private void scheduleSweep(Scheduler scheduler) {
    scheduler.schedule(
        () -> {
          if (!running) {
            return;
          }
          int closed = idle.sweep(System.nanoTime());
          for (int i = 0; i < closed; i++) {
            stats.idleClosed(name);
          }
          scheduleSweep(scheduler);
        },
        SWEEP_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  public URI baseUri() {
    String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
    return URI.create("http://" + host + ":" + connector.getLocalPort());
  }

  @Override
  public void close() {
    running = false;
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("stopping the {} simulator failed", name, e);
    }
  }

  private final class RouteHandler extends Handler.Abstract {
    private final Route route;

    RouteHandler(Route route) {
      this.route = route;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
      if (http.refuseH2c() && offersH2c(request)) {
        stats.h2cRefused(name);
        refuseUpgrade(response, callback);
        return true;
      }
      if (idle.enabled() && !idle.begin(endPoint)) {
        // the client wrote a request on a connection this server had closed: it is lost
        stats.requestOnClosedConnection(name);
        idle.forget(endPoint);
        endPoint.close();
        callback.failed(new java.io.IOException("request on a connection closed as idle"));
        return true;
      }
      try {
        serve(request, response, callback);
      } finally {
        if (idle.enabled()) {
          idle.end(endPoint, System.nanoTime());
        }
      }
      return true;
    }

    private void serve(Request request, Response response, Callback callback) {
      Exchange exchange = new Exchange(request, response, callback);
      try {
        if (!route.handle(exchange)) {
          exchange.sendJson(404, io.parley.sim.Json.object().put("error", "not found"));
        }
      } catch (Exception e) {
        log.warn("{} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
        if (!exchange.committed()) {
          exchange.sendJson(500, io.parley.sim.Json.object().put("error", String.valueOf(e)));
        } else {
          exchange.abort();
        }
      }
      if (!exchange.finished()) {
        exchange.end();
      }
    }
  }

  /** An HTTP/1.1 request offering to upgrade the connection to HTTP/2 cleartext. */
  static boolean offersH2c(Request request) {
    String upgrade = request.getHeaders().get(HttpHeader.UPGRADE);
    return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("h2c");
  }

  /**
   * What a Node server with a WebSocket upgrade handler (express-ws, ws) answers to any upgrade
   * that is not a WebSocket one: 400 and the connection closed.
   */
  private static void refuseUpgrade(Response response, Callback callback) {
    byte[] body = "Invalid Upgrade header".getBytes(StandardCharsets.UTF_8);
    response.setStatus(400);
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, java.nio.ByteBuffer.wrap(body), callback);
  }
}
