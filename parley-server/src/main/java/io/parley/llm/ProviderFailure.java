package io.parley.llm;

import com.openai.core.http.Headers;
import com.openai.errors.OpenAIServiceException;
import io.parley.shared.LogSafe;
import io.parley.shared.SecretScrubber;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What one failed attempt means: its kind, whether a retry may help, and how long the provider
 * asked us to wait. Messages name the provider and the status, never the key.
 */
record ProviderFailure(
    LlmEvent.FailureKind kind, boolean retriable, String message, Optional<Duration> retryAfter) {

  private static final int MAX_DETAIL = 200;

  static ProviderFailure of(LlmEvent.FailureKind kind, boolean retriable, String message) {
    return new ProviderFailure(kind, retriable, message, Optional.empty());
  }

  LlmEvent.Failed event() {
    return new LlmEvent.Failed(kind, retriable, message);
  }

  /** Classifies an exception from the SDK; {@code secret} is scrubbed from any provider text. */
  static ProviderFailure classify(Throwable error, String provider, String secret) {
    if (error instanceof ChunkReader.StreamError streamError) {
      return of(
          LlmEvent.FailureKind.SERVER,
          true,
          "LLM provider '"
              + provider
              + "' sent an error in the stream: "
              + detail(streamError.body(), secret));
    }
    if (error instanceof OpenAIServiceException service) {
      return fromStatus(service, provider, secret);
    }
    if (isTimeout(error)) {
      return of(
          LlmEvent.FailureKind.TIMEOUT,
          true,
          "LLM provider '" + provider + "' went silent past the idle timeout");
    }
    return of(
        LlmEvent.FailureKind.SERVER,
        true,
        "LLM provider '"
            + provider
            + "' could not be reached or broke the stream: "
            + detail(rootMessage(error), secret));
  }

  private static ProviderFailure fromStatus(
      OpenAIServiceException e, String provider, String secret) {
    int status = e.statusCode();
    String body = detail(e.body().toString(), secret);
    String message = "LLM provider '" + provider + "' answered HTTP " + status + ": " + body;
    Optional<Duration> retryAfter = retryAfter(e.headers());
    if (status == 429) {
      return new ProviderFailure(LlmEvent.FailureKind.RATE_LIMITED, true, message, retryAfter);
    }
    if (status == 408) {
      return new ProviderFailure(LlmEvent.FailureKind.TIMEOUT, true, message, retryAfter);
    }
    if (status >= 500) {
      return new ProviderFailure(LlmEvent.FailureKind.SERVER, true, message, retryAfter);
    }
    // xAI answers a wrong key with 400 rather than 401 (docs/llm.md), so the body decides.
    if (status == 401 || status == 403 || (status == 400 && mentionsKey(body))) {
      return of(LlmEvent.FailureKind.AUTH, false, message);
    }
    return of(LlmEvent.FailureKind.BAD_REQUEST, false, message);
  }

  private static boolean mentionsKey(String body) {
    String lower = body.toLowerCase(Locale.ROOT);
    return lower.contains("api key") || lower.contains("api_key") || lower.contains("apikey");
  }

  /** {@code Retry-After-Ms} first (OpenAI), then {@code Retry-After} in seconds or as a date. */
  static Optional<Duration> retryAfter(Headers headers) {
    Optional<String> millis = first(headers.values("retry-after-ms"));
    if (millis.isPresent()) {
      try {
        return Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(millis.get()))));
      } catch (NumberFormatException ignored) {
        // fall through to Retry-After
      }
    }
    Optional<String> value = first(headers.values("retry-after"));
    if (value.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(value.get()) * 1000)));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
      } catch (DateTimeParseException notADate) {
        return Optional.empty();
      }
    }
  }

  private static Optional<String> first(List<String> values) {
    return values.stream().map(String::strip).filter(v -> !v.isEmpty()).findFirst();
  }

  private static boolean isTimeout(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return true;
      }
      // OkHttp's call timeout surfaces as an InterruptedIOException("timeout").
      if (t instanceof InterruptedIOException && "timeout".equals(t.getMessage())) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName()
        + (root.getMessage() == null ? "" : " " + root.getMessage());
  }

  /** Provider text, shortened and with the key removed in case a provider echoes it. */
  static String detail(String text, String secret) {
    String out = text == null ? "" : LogSafe.text(SecretScrubber.scrub(text, secret));
    return out.length() > MAX_DETAIL ? out.substring(0, MAX_DETAIL) + "..." : out;
  }
}
