package io.parley.compliance;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a number came onto the do-not-call list. */
public enum DncSource {
  /** Added by a person in the console or API. */
  MANUAL,
  /** The callee asked not to be called during a call (the {@code opt_out} tool). */
  OPT_OUT_CALL,
  /** The number replied with an opt-out keyword (STOP, UNSUBSCRIBE...) by SMS. */
  OPT_OUT_SMS,
  /** Loaded from a CSV file. */
  IMPORT;

  /** The value stored in the database and shown in JSON, such as {@code opt_out_call}. */
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<DncSource> fromWire(String text) {
    return Arrays.stream(values()).filter(source -> source.wire().equals(text)).findFirst();
  }
}
