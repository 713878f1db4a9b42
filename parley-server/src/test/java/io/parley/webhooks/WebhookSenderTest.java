package io.parley.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One attempt against a real HTTP server on loopback: the 5-second limit, the 1 MB read limit, and
 * a name resolving to 127.0.0.1 refused before any connection when loopback is not allowed.
 */
class WebhookSenderTest {

  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/ok",
        exchange -> {
          requests.incrementAndGet();
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.createContext(
        "/huge",
        exchange -> {
          requests.incrementAndGet();
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 40; i++) {
              out.write(chunk);
            }
          } catch (java.io.IOException closedByParley) {
            // Parley stops reading past 1 MB.
          }
          exchange.close();
        });
    server.createContext(
        "/slow",
        exchange -> {
          requests.incrementAndGet();
          try {
            Thread.sleep(8000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url(String host, String path) {
    return "http://" + host + ":" + server.getAddress().getPort() + path;
  }

  private AttemptResult send(boolean allowLoopback, String url) throws InterruptedException {
    return new WebhookSender(new WebhookTargets(allowLoopback), Clock.systemUTC())
        .send(url, "whsec_test", "e1", "call.ended", "{\"id\":\"e1\"}");
  }

  @Test
  void aTwoHundredIsSuccess() throws Exception {
    AttemptResult result = send(true, url("127.0.0.1", "/ok"));
    assertThat(result.succeeded()).isTrue();
    assertThat(result.statusCode()).isEqualTo(204);
  }

  @Test
  void aResponseOverOneMegabyteIsAFailure() throws Exception {
    AttemptResult result = send(true, url("127.0.0.1", "/huge"));
    assertThat(result.succeeded()).isFalse();
    assertThat(result.error()).isEqualTo("the response was larger than 1 MB");
  }

  @Test
  void noAnswerWithinFiveSecondsIsAFailure() throws Exception {
    AttemptResult result = send(true, url("127.0.0.1", "/slow"));
    assertThat(result.succeeded()).isFalse();
    assertThat(result.error()).isEqualTo("no answer within 5 s");
  }

  @Test
  void aNameResolvingToLoopbackIsRefusedWithoutConnecting() throws Exception {
    AttemptResult result =
        new WebhookSender(new WebhookTargets(false), Clock.systemUTC())
            .send(
                "https://localhost:" + server.getAddress().getPort() + "/ok",
                "whsec_test",
                "e1",
                "call.ended",
                "{}");
    assertThat(result.error()).startsWith("refused:").contains("a loopback address");
    assertThat(result.statusCode()).isNull();
    assertThat(requests).hasValue(0);
  }
}
