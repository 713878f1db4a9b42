package io.parley.sms;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Whether Parley sent the message (an API send or a keyword reply) or received it. */
enum MessageDirection {
  INBOUND,
  OUTBOUND;

  @JsonValue
  String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<MessageDirection> parse(String text) {
    String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(d -> d.wire().equals(wanted)).findFirst();
  }
}
