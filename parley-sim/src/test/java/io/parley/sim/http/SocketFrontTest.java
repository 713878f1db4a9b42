package io.parley.sim.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoop;
import io.parley.sim.WsClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A simulator's public port on Netty: WebSocket paths it names are served on its event loop, every
 * other connection reaches the Jetty server behind it unchanged, keep-alive closing and h2c refusal
 * included.
 */
class SocketFrontTest {
  private SimServer jetty;
  private SocketFront front;
  private Hosting hosting;
  private final List<String> heard = new CopyOnWriteArrayList<>();
  private final List<String> threads = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (front != null) {
      front.close();
    }
    if (jetty != null) {
      jetty.close();
    }
  }

  /** An echo session: answers each message with "echo: ..." and closes on "bye". */
  private final class Echo implements SocketFront.Session {
    private SocketOut out;

    @Override
    public void open(SocketOut socket, EventLoop loop) {
      out = socket;
    }

    @Override
    public void binary(byte[] bytes) {
      threads.add(Thread.currentThread().getName());
      heard.add("binary " + bytes.length);
    }

    @Override
    public void text(String text) {
      threads.add(Thread.currentThread().getName());
      heard.add(text);
      if (text.equals("bye")) {
        out.close(4000, "bye");
      } else {
        out.text("{\"echo\":\"" + text + "\"}");
      }
    }

    @Override
    public void closed() {
      heard.add("closed");
    }
  }

  private URI start(HttpConfig http) {
    hosting = new Hosting("127.0.0.1", http, new ConnectionStats());
    jetty =
        hosting.start(
            "test",
            0,
            ex -> {
              ex.send(200, "text/plain", "ok " + ex.method() + " " + ex.path());
              return true;
            });
    front =
        SocketFront.start(
            "test-front",
            "127.0.0.1",
            0,
            jetty.baseUri(),
            Map.of(
                "/echo",
                rq ->
                    rq.header("Authorization") == null
                        ? new SocketFront.Refuse(
                            401, Map.of("dg-error", "Invalid credentials."), "{\"err\":1}")
                        : new SocketFront.Accept(
                            rq.subprotocols().contains("token") ? "token" : null, new Echo())));
    return front.baseUri();
  }

  @Test
  void aNamedSocketIsServedOnTheFrontsLoop() throws Exception {
    URI base = start(HttpConfig.defaults());
    URI ws = URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/echo?x=1");
    WsClient client = WsClient.connect(ws, Map.of("Authorization", "Token k"));
    client.binary(new byte[160]);
    client.text("hello");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> client.messages.size() == 1 && heard.size() == 2);
    assertThat(client.messages.getFirst().path("echo").asString()).isEqualTo("hello");
    assertThat(heard).containsExactly("binary 160", "hello");
    assertThat(threads).allMatch(t -> t.startsWith("sim-test-front"));
    client.text("bye");
    assertThat(client.closeCode.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(4000);
    await().atMost(Duration.ofSeconds(5)).until(() -> heard.contains("closed"));
  }

  @Test
  void aRefusedHandshakeGetsTheEndpointsStatusAndHeaders() {
    URI base = start(HttpConfig.defaults());
    URI ws = URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/echo");
    assertThatThrownBy(() -> WsClient.connect(ws, Map.of()))
        .hasCauseInstanceOf(WebSocketHandshakeException.class)
        .satisfies(
            e -> {
              var response = ((WebSocketHandshakeException) e.getCause()).getResponse();
              assertThat(response.statusCode()).isEqualTo(401);
              assertThat(response.headers().firstValue("dg-error"))
                  .contains("Invalid credentials.");
            });
  }

  @Test
  void theTokenSubprotocolIsChosenWhenTheEndpointAcceptsIt() throws Exception {
    URI base = start(HttpConfig.defaults());
    URI ws = URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/echo");
    WsClient client = WsClient.connect(ws, Map.of("Authorization", "Token k"), "token", "k");
    client.text("ping");
    await().atMost(Duration.ofSeconds(5)).until(() -> client.messages.size() == 1);
    client.close();
  }

  @Test
  void otherRequestsReachJettyAndIdleConnectionsCloseThroughTheFront() throws Exception {
    URI base = start(HttpConfig.defaults().withKeepAliveTimeout(Duration.ofMillis(300)));
    HttpResponse<String> ok =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(base.resolve("/v1/speak"))
                    .POST(HttpRequest.BodyPublishers.ofString("x".repeat(5000)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("ok POST /v1/speak");
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(3000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(get(base));
      assertThat(readResponse(in)).startsWith("HTTP/1.1 200");
      // Jetty closes the idle connection; its FIN comes through the front
      assertThat(in.read()).isEqualTo(-1);
      // a request written on it afterwards reaches Jetty, which counts it
      out.write(get(base));
      out.flush();
    }
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> hosting.stats().requestsOnClosedConnections() == 1);
  }

  @Test
  void anH2cOfferIsRefusedByJettyThroughTheFront() throws Exception {
    URI base = start(HttpConfig.defaults());
    // the JDK client's default (HTTP/2) offers h2c on an http:// URL
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/x"))
            .POST(HttpRequest.BodyPublishers.ofString("a=1"))
            .build();
    int status;
    try {
      status =
          HttpClient.newHttpClient()
              .send(request, HttpResponse.BodyHandlers.ofString())
              .statusCode();
    } catch (IOException e) {
      status = -1; // the connection was closed under the request: as bad for the client
    }
    assertThat(status).isNotEqualTo(200);
    assertThat(hosting.stats().h2cRefused()).isGreaterThanOrEqualTo(1);
  }

  private static byte[] get(URI base) {
    return ("GET /x HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static String readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before the response ended: " + head);
      }
      head.append((char) b);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    in.readNBytes(length);
    return head.toString().split("\r\n")[0];
  }
}
