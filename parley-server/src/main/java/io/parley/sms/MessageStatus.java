package io.parley.sms;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A message's status: Twilio's Message statuses plus {@code pending}, Parley's own for a message
 * written but not yet confirmed by Twilio. Statuses only move forward, by rank: a duplicated or
 * late callback (sent after delivered) changes nothing.
 */
enum MessageStatus {
  /** Written; Twilio has not answered yet (or a TwiML reply whose status has not come back). */
  PENDING(0, false),
  ACCEPTED(1, false),
  SCHEDULED(1, false),
  RECEIVING(1, false),
  QUEUED(2, false),
  SENDING(3, false),
  SENT(4, false),
  DELIVERED(5, true),
  UNDELIVERED(5, true),
  FAILED(5, true),
  CANCELED(5, true),
  PARTIALLY_DELIVERED(5, true),
  RECEIVED(5, true),
  READ(6, true);

  final int rank;
  final boolean terminal;

  MessageStatus(int rank, boolean terminal) {
    this.rank = rank;
    this.terminal = terminal;
  }

  /** The spelling Twilio and the API use: {@code partially_delivered}. */
  @JsonValue
  String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Twilio's MessageStatus (or a filter's text); empty for anything else. */
  static Optional<MessageStatus> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String wanted = text.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(s -> s.wire().equals(wanted)).findFirst();
  }
}
