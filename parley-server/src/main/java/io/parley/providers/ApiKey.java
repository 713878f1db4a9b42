package io.parley.providers;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * A provider credential. It is deliberately not a record: its text is only reachable through {@link
 * #reveal()}, so printing, logging or serialising an object that holds one shows a mask.
 */
public final class ApiKey {

  private static final String MASK = "****";

  private final String secret;

  ApiKey(String secret) {
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException("An API key must not be blank");
    }
    this.secret = secret;
  }

  /** A key from its text; blank text is refused. */
  public static ApiKey of(String secret) {
    return new ApiKey(secret);
  }

  /** The key itself, for the one place that puts it on the wire to the provider. */
  public String reveal() {
    return secret;
  }

  @JsonValue
  @Override
  public String toString() {
    return MASK;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ApiKey key && key.secret.equals(secret);
  }

  @Override
  public int hashCode() {
    return Objects.hash(secret);
  }
}
