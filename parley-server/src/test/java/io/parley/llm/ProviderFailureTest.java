package io.parley.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.http.Headers;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.models.ErrorObject;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProviderFailureTest {

  private static final String SECRET = "xai-abcdefghijklmnop";

  private static ErrorObject error(String message) {
    return ErrorObject.builder().message(message).code("x").param("p").type("t").build();
  }

  @Test
  void xaiAnswersAWrongKeyWith400AndItCountsAsAuth() {
    var e =
        BadRequestException.builder()
            .headers(Headers.builder().build())
            .error(error("Incorrect API key provided: xa***. You can obtain an API key"))
            .build();

    ProviderFailure failure = ProviderFailure.classify(e, "xai", SECRET);

    assertThat(failure.kind()).isEqualTo(LlmEvent.FailureKind.AUTH);
    assertThat(failure.retriable()).isFalse();
    assertThat(failure.message()).contains("'xai'").contains("HTTP 400");
  }

  @Test
  void anyOther400IsABadRequest() {
    var e =
        BadRequestException.builder()
            .headers(Headers.builder().build())
            .error(error("messages must be a non-empty array"))
            .build();

    assertThat(ProviderFailure.classify(e, "xai", SECRET).kind())
        .isEqualTo(LlmEvent.FailureKind.BAD_REQUEST);
    var notFound =
        NotFoundException.builder()
            .headers(Headers.builder().build())
            .error(error("model not found"))
            .build();
    assertThat(ProviderFailure.classify(notFound, "xai", SECRET).kind())
        .isEqualTo(LlmEvent.FailureKind.BAD_REQUEST);
  }

  @Test
  void creditsExhaustedIsAuth() {
    var e =
        PermissionDeniedException.builder()
            .headers(Headers.builder().build())
            .error(error("You have used all available credits"))
            .build();

    assertThat(ProviderFailure.classify(e, "xai", SECRET).kind())
        .isEqualTo(LlmEvent.FailureKind.AUTH);
  }

  @Test
  void aKeyEchoedByTheProviderIsScrubbed() {
    var e =
        InternalServerException.builder()
            .statusCode(503)
            .headers(Headers.builder().build())
            .error(error("upstream rejected " + SECRET))
            .build();

    ProviderFailure failure = ProviderFailure.classify(e, "xai", SECRET);

    assertThat(failure.kind()).isEqualTo(LlmEvent.FailureKind.SERVER);
    assertThat(failure.retriable()).isTrue();
    assertThat(failure.message()).contains("HTTP 503").doesNotContain(SECRET).contains("****");
  }

  @Test
  void aShortKeyDoesNotMangleTheMessage() {
    var e = new OpenAIIoException("io", new java.net.SocketException("Connection reset"));

    ProviderFailure failure = ProviderFailure.classify(e, "xai", "k");

    assertThat(failure.message()).contains("SocketException Connection reset");
  }

  @Test
  void rateLimitsCarryRetryAfterInMillisSecondsOrADate() {
    var millis =
        RateLimitException.builder()
            .headers(Headers.builder().put("retry-after-ms", "750").put("retry-after", "9").build())
            .build();
    assertThat(ProviderFailure.classify(millis, "xai", SECRET).retryAfter())
        .contains(Duration.ofMillis(750));
    assertThat(ProviderFailure.classify(millis, "xai", SECRET).kind())
        .isEqualTo(LlmEvent.FailureKind.RATE_LIMITED);

    var seconds =
        RateLimitException.builder()
            .headers(Headers.builder().put("Retry-After", "2").build())
            .build();
    assertThat(ProviderFailure.classify(seconds, "xai", SECRET).retryAfter())
        .contains(Duration.ofSeconds(2));

    String inTenSeconds =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(
            ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10));
    var date =
        RateLimitException.builder()
            .headers(Headers.builder().put("Retry-After", inTenSeconds).build())
            .build();
    assertThat(ProviderFailure.classify(date, "xai", SECRET).retryAfter().orElseThrow())
        .isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));

    var none = RateLimitException.builder().headers(Headers.builder().build()).build();
    assertThat(ProviderFailure.classify(none, "xai", SECRET).retryAfter())
        .isEqualTo(Optional.empty());
  }

  @Test
  void ioTimeoutsAreTimeoutsAndOtherIoErrorsServerErrors() {
    var readTimeout =
        new OpenAIIoException("Request failed", new SocketTimeoutException("timeout"));
    assertThat(ProviderFailure.classify(readTimeout, "xai", SECRET).kind())
        .isEqualTo(LlmEvent.FailureKind.TIMEOUT);
    var callTimeout =
        new OpenAIIoException("Request failed", new InterruptedIOException("timeout"));
    assertThat(ProviderFailure.classify(callTimeout, "xai", SECRET).kind())
        .isEqualTo(LlmEvent.FailureKind.TIMEOUT);

    var refused =
        new OpenAIIoException("Request failed", new ConnectException("Connection refused"));
    ProviderFailure failure = ProviderFailure.classify(refused, "xai", SECRET);
    assertThat(failure.kind()).isEqualTo(LlmEvent.FailureKind.SERVER);
    assertThat(failure.retriable()).isTrue();
    assertThat(failure.message()).contains("Connection refused");
  }
}
