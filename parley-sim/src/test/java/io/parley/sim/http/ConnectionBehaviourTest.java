package io.parley.sim.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The simulators' servers treat connections as Node servers do: an idle keep-alive connection is
 * closed after the limit, a request written on it afterwards is counted (and lost), and an h2c
 * upgrade offer is refused.
 */
class ConnectionBehaviourTest {

  private SimServer server;
  private Hosting hosting;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private URI start(HttpConfig http) {
    hosting = new Hosting("127.0.0.1", http, new ConnectionStats());
    server =
        hosting.start(
            "test",
            0,
            ex -> {
              ex.send(200, "text/plain", "ok " + ex.method());
              return true;
            });
    return server.baseUri();
  }

  @Test
  void anIdleConnectionIsClosedAfterTheLimitAndARequestWrittenOnItIsCounted() throws Exception {
    URI base = start(HttpConfig.defaults().withKeepAliveTimeout(Duration.ofMillis(300)));
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(3000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(get(base));
      assertThat(readResponse(in)).startsWith("HTTP/1.1 200");
      // idle past the limit: the server sends FIN, the client reads end of stream
      assertThat(in.read()).isEqualTo(-1);
      await().atMost(Duration.ofSeconds(1)).until(() -> hosting.stats().idleClosed() == 1);
      // a client that did not notice writes its next request on the closed connection
      out.write(get(base));
      out.flush();
    }
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> hosting.stats().requestsOnClosedConnections() == 1);
    assertThat(hosting.stats().of("test").requestsOnClosedConnections()).isEqualTo(1);
  }

  @Test
  void aConnectionUsedWithinTheLimitStaysOpen() throws Exception {
    URI base = start(HttpConfig.defaults().withKeepAliveTimeout(Duration.ofMillis(500)));
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(3000);
      for (int i = 0; i < 4; i++) {
        socket.getOutputStream().write(get(base));
        assertThat(readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200");
        Thread.sleep(200);
      }
    }
    assertThat(hosting.stats().idleClosed()).isZero();
    assertThat(hosting.stats().requestsOnClosedConnections()).isZero();
  }

  @Test
  void aZeroLimitKeepsConnectionsOpen() throws Exception {
    URI base = start(HttpConfig.defaults().withKeepAliveTimeout(Duration.ZERO));
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(3000);
      socket.getOutputStream().write(get(base));
      assertThat(readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200");
      Thread.sleep(400);
      socket.getOutputStream().write(get(base));
      assertThat(readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200");
    }
    assertThat(hosting.stats().idleClosed()).isZero();
  }

  @Test
  void anH2cUpgradeOfferIsRefusedAsANodeWebSocketServerRefusesIt() throws Exception {
    URI base = start(HttpConfig.defaults());
    // the JDK client's default (HTTP/2) offers h2c on an http:// URL
    HttpClient offering = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/x"))
            .POST(HttpRequest.BodyPublishers.ofString("a=1"))
            .build();
    int status;
    try {
      status = offering.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (IOException e) {
      status = -1; // the connection was closed under the request: as bad for the client
    }
    assertThat(status).isNotEqualTo(200);
    assertThat(hosting.stats().h2cRefused()).isGreaterThanOrEqualTo(1);

    HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> ok = plain.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("ok POST");
  }

  @Test
  void refusingH2cCanBeSwitchedOff() throws Exception {
    URI base = start(HttpConfig.defaults().withRefuseH2c(false));
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(base.resolve("/x")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(hosting.stats().h2cRefused()).isZero();
  }

  private static byte[] get(URI base) {
    return ("GET /x HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Reads one response with a Content-Length body; returns its status line. */
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
