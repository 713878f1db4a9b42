package io.parley.calls;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * What post-call analysis made of a call (docs/analysis.md). It is kept apart from the call's
 * outcome, which it never changes.
 *
 * @param status {@link Status#DONE} with a valid answer, or {@link Status#ERROR} with {@code error}
 * @param summary what happened on the call; null on error
 * @param category one of the agent's categories, or null (none configured, or error)
 * @param sentiment {@code positive}, {@code neutral} or {@code negative}; null on error
 * @param fieldsJson a JSON object answering the agent's schema, or null (no schema, or error)
 * @param error why there is no answer (at most 1000 characters), or null
 * @param provider the LLM provider id asked
 * @param model the model asked
 * @param promptTokens input tokens of every request made, as the provider reported them
 * @param completionTokens output tokens of every request made
 * @param attempts requests made: 1, or 2 when the first answer was invalid
 * @param createdAt when it was recorded (set by {@link CallRecords#recordAnalysis})
 */
public record CallAnalysis(
    Status status,
    String summary,
    String category,
    String sentiment,
    String fieldsJson,
    String error,
    String provider,
    String model,
    long promptTokens,
    long completionTokens,
    int attempts,
    Instant createdAt) {

  /** How the analysis ended. */
  public enum Status {
    DONE,
    ERROR;

    @JsonValue
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Status of(String stored) {
      return valueOf(stored.toUpperCase(Locale.ROOT));
    }
  }

  public CallAnalysis {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(model, "model");
    if (error != null && error.length() > 1000) {
      error = error.substring(0, 1000);
    }
  }
}
