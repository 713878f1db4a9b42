package io.parley.compliance;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * Whose registry a list copies: the country's (the FTC's National Do Not Call Registry) or a
 * state's.
 */
enum RegistryKind {
  NATIONAL,
  STATE;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<RegistryKind> parse(String text) {
    for (RegistryKind kind : values()) {
      if (kind.wire().equals(text)) {
        return Optional.of(kind);
      }
    }
    return Optional.empty();
  }

  static RegistryKind fromWire(String text) {
    return parse(text)
        .orElseThrow(() -> new IllegalStateException("Unknown registry kind in the database"));
  }
}
