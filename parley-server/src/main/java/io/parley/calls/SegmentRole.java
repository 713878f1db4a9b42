package io.parley.calls;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Who a transcript segment belongs to. */
public enum SegmentRole {
  CALLER,
  AGENT,
  TOOL,
  SYSTEM;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static SegmentRole of(String stored) {
    return valueOf(stored.toUpperCase(Locale.ROOT));
  }
}
