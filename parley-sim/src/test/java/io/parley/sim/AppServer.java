package io.parley.sim;

import com.sun.net.httpserver.HttpServer;
import io.parley.sim.http.Params;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A stand-in for the app's webhook endpoints in tests: records every request (with its signature
 * header) and answers each path with the TwiML set for it.
 */
public final class AppServer implements AutoCloseable {

  /** One webhook as the app received it. */
  public record Hit(String path, String query, Params params, String signature) {}

  private final HttpServer server;
  private final List<Hit> hits = new CopyOnWriteArrayList<>();
  private final Map<String, String> twiml = new ConcurrentHashMap<>();

  public AppServer() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String path = ex.getRequestURI().getPath();
          hits.add(
              new Hit(
                  path,
                  ex.getRequestURI().getRawQuery(),
                  Params.parse(body),
                  ex.getRequestHeaders().getFirst("X-Twilio-Signature")));
          String answer = twiml.getOrDefault(path, "<Response/>");
          byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "text/xml");
          ex.sendResponseHeaders(200, bytes.length);
          ex.getResponseBody().write(bytes);
          ex.close();
        });
    server.start();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public AppServer answer(String path, String document) {
    twiml.put(path, document);
    return this;
  }

  public List<Hit> hits(String path) {
    return hits.stream().filter(h -> h.path().equals(path)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
