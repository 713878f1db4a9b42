package io.parley.llm;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A chat-completions host on the loopback interface that answers every request with the same short
 * streamed reply, for the start-up warm-up alone: the first real request through the SDK and OkHttp
 * otherwise pays for loading and initialising their request and streaming classes (about 50 ms on
 * this project's machine, three first turns of the first minute's calls in the bench), and no
 * request may go to a real provider before a caller needs it. Answers alternate between a spoken
 * reply and a tool call, so both ways through the chunk reader are taken.
 */
final class LoopbackChatHost implements AutoCloseable {

  private static final byte[] TEXT_REPLY =
      events(
          """
          {"id":"w","object":"chat.completion.chunk","created":0,"model":"warm-up","choices":[{"index":0,"delta":{"role":"assistant","content":"Hello"},"finish_reason":null}]}""",
          """
          {"id":"w","object":"chat.completion.chunk","created":0,"model":"warm-up","choices":[{"index":0,"delta":{"content":", how can I help?"},"finish_reason":null}]}""",
          """
          {"id":"w","object":"chat.completion.chunk","created":0,"model":"warm-up","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""",
          """
          {"id":"w","object":"chat.completion.chunk","created":0,"model":"warm-up","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":6,"total_tokens":18}}""");

  private static final byte[] TOOL_REPLY =
      events(
          """
          {"id":"w","object":"chat.completion.chunk","created":0,"model":"warm-up","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_w","type":"function","function":{"name":"f","arguments":""}}]},"finish_reason":null}]}""",
          """
          {"id":"w","object":"chat.completion.chunk","created":0,"model":"warm-up","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]},"finish_reason":null}]}""",
          """
          {"id":"w","object":"chat.completion.chunk","created":0,"model":"warm-up","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}""");

  private final HttpServer server;
  private final ExecutorService handlers;
  private int answered;

  private LoopbackChatHost(HttpServer server, ExecutorService handlers) {
    this.server = server;
    this.handlers = handlers;
  }

  /** Starts the host on a free loopback port. */
  static LoopbackChatHost start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    LoopbackChatHost host = new LoopbackChatHost(server, handlers);
    server.createContext("/", host::answer);
    server.setExecutor(handlers);
    server.start();
    return host;
  }

  /** The base URL a client is given, as for a real host ({@code …/v1}). */
  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream request = exchange.getRequestBody()) {
      request.transferTo(OutputStream.nullOutputStream());
      String path = exchange.getRequestURI().getPath();
      if (path.endsWith("/chat/completions")) {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream body = exchange.getResponseBody()) {
          body.write(nextReply());
        }
      } else {
        exchange.sendResponseHeaders(404, -1);
      }
    }
  }

  private synchronized byte[] nextReply() {
    return answered++ % 2 == 0 ? TEXT_REPLY : TOOL_REPLY;
  }

  private static byte[] events(String... chunks) {
    StringBuilder sse = new StringBuilder();
    for (String chunk : chunks) {
      sse.append("data: ").append(chunk.strip()).append("\n\n");
    }
    return sse.append("data: [DONE]\n\n").toString().getBytes(UTF_8);
  }

  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
  }
}
