package io.parley.calls;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether a tool invocation returned a result or an error (which went back to the model). */
public enum ToolStatus {
  OK,
  ERROR;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static ToolStatus of(String stored) {
    return valueOf(stored.toUpperCase(Locale.ROOT));
  }
}
