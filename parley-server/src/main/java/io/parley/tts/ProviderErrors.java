package io.parley.tts;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.Set;

/** Which provider failures are worth retrying later, the same way for every adapter. */
final class ProviderErrors {
  private static final Set<String> PERMANENT_CODES =
      Set.of(
          "invalid_api_key",
          "quota_exceeded",
          "voice_not_found",
          "unsupported_output_format",
          "max_character_limit_exceeded",
          "invalid_message");

  private ProviderErrors() {}

  /** Rate limits, server errors and timeouts pass; bad keys, voices and requests do not. */
  static boolean retriable(int status) {
    return status == 408 || status == 429 || status >= 500;
  }

  static boolean retriable(String code) {
    return code == null || !PERMANENT_CODES.contains(code);
  }

  static String describe(Throwable error) {
    Throwable e = error;
    while (e.getCause() != null && !(e instanceof IOException)) {
      e = e.getCause();
    }
    String kind = e instanceof HttpTimeoutException ? "timeout" : e.getClass().getSimpleName();
    return e.getMessage() == null ? kind : kind + ": " + e.getMessage();
  }
}
