package io.parley.sim.twilio;

import io.parley.sim.SimClock;
import io.parley.sim.http.Params;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Sends the carrier's signed webhooks and keeps a log of every delivery for inspection. */
public final class Webhooks {

  /**
   * One webhook request: what was sent, its signature, and the app's answer (status -1 when the app
   * could not be reached).
   */
  public record Delivery(
      String url,
      String method,
      Params params,
      String signature,
      int status,
      String body,
      long atMillis) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  // Twilio sends webhooks over HTTP/1.1; the JDK client's default (HTTP/2) would offer an h2c
  // upgrade on http:// URLs, which servers with a WebSocket upgrade handler refuse (express-ws).
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String authToken;
  private final SimClock clock;
  private final List<Delivery> log = new CopyOnWriteArrayList<>();

  Webhooks(String authToken, SimClock clock) {
    this.authToken = authToken;
    this.clock = clock;
  }

  /** POSTs form params (or GETs with them in the query), signed as Twilio signs. */
  Delivery send(String url, String method, Params params) {
    boolean get = "GET".equalsIgnoreCase(method);
    String target = url;
    if (get && !params.pairs().isEmpty()) {
      target = url + (url.contains("?") ? "&" : "?") + params.encode();
    }
    String signature =
        TwilioSignature.sign(authToken, target, get ? new Params(List.of()) : params);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(target))
            .timeout(Duration.ofSeconds(15))
            .header("X-Twilio-Signature", signature)
            .header("User-Agent", "TwilioProxy/1.1")
            .header("Accept", "*/*");
    if (get) {
      request.GET();
    } else {
      request
          .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
          .POST(HttpRequest.BodyPublishers.ofString(params.encode()));
    }
    int status;
    String body;
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      status = response.statusCode();
      body = response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      status = -1;
      body = "interrupted";
    } catch (Exception e) {
      status = -1;
      body = String.valueOf(e);
    }
    Delivery delivery =
        new Delivery(
            target, get ? "GET" : "POST", params, signature, status, body, clock.nowMillis());
    log.add(delivery);
    return delivery;
  }

  public List<Delivery> log() {
    return List.copyOf(log);
  }
}
