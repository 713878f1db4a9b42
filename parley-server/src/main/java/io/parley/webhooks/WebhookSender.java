package io.parley.webhooks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one signed delivery. Before each attempt the URL's host is resolved again and every address
 * checked ({@link WebhookTargets}); redirects are never followed (a 3xx is a failed attempt);
 * connecting and the whole exchange get {@link WebhookSettings#TIMEOUT}; at most {@link
 * WebhookSettings#MAX_RESPONSE_BYTES} of the response is read.
 *
 * <p>The JDK client resolves the host itself after the check. Both lookups go through the JVM's
 * address cache (30 s by default), so the client connects to an address that was checked, except
 * when the cache entry expires between the two lookups: the residual DNS-rebinding window
 * docs/webhooks.md describes.
 */
final class WebhookSender {

  static final String USER_AGENT = "Parley-Webhooks/1";

  private final WebhookTargets targets;
  private final HttpClient client;
  private final Clock clock;

  WebhookSender(WebhookTargets targets, Clock clock) {
    this.targets = targets;
    this.clock = clock;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(WebhookSettings.TIMEOUT)
            .build();
  }

  /** Posts {@code body} to {@code url}, signed with {@code secret}. Never throws for the target. */
  AttemptResult send(String url, String secret, String eventId, String eventType, String body)
      throws InterruptedException {
    long started = System.nanoTime();
    Optional<String> refused =
        targets.urlProblem(url).map(p -> "the URL " + p).or(() -> targets.addressProblem(url));
    if (refused.isPresent()) {
      return new AttemptResult(null, "refused: " + refused.get(), elapsed(started));
    }
    long now = clock.instant().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(WebhookSettings.TIMEOUT)
            .header("Content-Type", "application/json")
            .header("User-Agent", USER_AGENT)
            .header("Parley-Event-Id", eventId)
            .header("Parley-Event-Type", eventType)
            .header("Parley-Signature", WebhookSecrets.signature(secret, now, body))
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    CompletableFuture<HttpResponse<Void>> exchange =
        client.sendAsync(
            request,
            HttpResponse.BodyHandlers.limiting(
                HttpResponse.BodyHandlers.discarding(), WebhookSettings.MAX_RESPONSE_BYTES));
    try {
      HttpResponse<Void> response =
          exchange.get(WebhookSettings.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return new AttemptResult(status, null, elapsed(started));
      }
      if (status >= 300 && status < 400) {
        return new AttemptResult(
            status, "redirect refused: webhooks never follow redirects", elapsed(started));
      }
      return new AttemptResult(status, "the endpoint answered " + status, elapsed(started));
    } catch (TimeoutException e) {
      exchange.cancel(true);
      return new AttemptResult(
          null, "no answer within " + seconds(WebhookSettings.TIMEOUT) + " s", elapsed(started));
    } catch (ExecutionException e) {
      return new AttemptResult(null, describe(e.getCause()), elapsed(started));
    } catch (InterruptedException e) {
      // The node is stopping: the job is handed back and this attempt not counted.
      exchange.cancel(true);
      throw e;
    }
  }

  private static String describe(Throwable cause) {
    if (cause instanceof HttpTimeoutException) {
      return "no answer within " + seconds(WebhookSettings.TIMEOUT) + " s";
    }
    if (cause instanceof IOException io
        && io.getMessage() != null
        && io.getMessage().contains("exceeds")) {
      return "the response was larger than 1 MB";
    }
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static long seconds(Duration duration) {
    return duration.toSeconds();
  }

  private static long elapsed(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }
}
