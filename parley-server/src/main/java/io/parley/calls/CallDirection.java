package io.parley.calls;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** Who placed the call: a caller dialling an agent's number, or Parley dialling out. */
public enum CallDirection {
  INBOUND,
  OUTBOUND;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads {@code inbound} or {@code outbound}; empty for anything else. */
  public static Optional<CallDirection> parse(String text) {
    for (CallDirection direction : values()) {
      if (direction.wire().equals(text)) {
        return Optional.of(direction);
      }
    }
    return Optional.empty();
  }
}
