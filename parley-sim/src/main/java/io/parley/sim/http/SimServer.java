package io.parley.sim.http;

import java.net.URI;
import java.util.function.Consumer;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Jetty server on its own port: each simulator gets one, so each has its own base URL just like
 * the real service has its own host. HTTP requests go to a {@link Route}; WebSocket paths are
 * mapped on the container before start.
 */
public final class SimServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SimServer.class);

  /** Handles one HTTP exchange; returning false answers 404. */
  @FunctionalInterface
  public interface Route {
    boolean handle(Exchange exchange) throws Exception;
  }

  private final Server server;
  private final ServerConnector connector;
  private final String name;

  public SimServer(
      String name, String host, int port, Route route, Consumer<ServerWebSocketContainer> sockets) {
    this.name = name;
    QueuedThreadPool pool = new QueuedThreadPool(400, 8);
    pool.setName("sim-" + name);
    server = new Server(pool);
    connector = new ServerConnector(server);
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    WebSocketUpgradeHandler upgrade = WebSocketUpgradeHandler.from(server, sockets);
    upgrade.setHandler(new RouteHandler(route));
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
    return this;
  }

  public URI baseUri() {
    String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
    return URI.create("http://" + host + ":" + connector.getLocalPort());
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("stopping the {} simulator failed", name, e);
    }
  }

  private static final class RouteHandler extends Handler.Abstract {
    private final Route route;

    RouteHandler(Route route) {
      this.route = route;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
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
      return true;
    }
  }
}
