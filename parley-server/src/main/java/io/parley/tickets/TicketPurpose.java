package io.parley.tickets;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a ticket opens: one endpoint each, so a ticket for one stream is worthless at another. Only
 * purposes whose endpoint exists are here (recording downloads will add theirs).
 */
public enum TicketPurpose {
  /** The live calls stream, {@code GET /api/calls/live/events}. */
  LIVE_CALLS("live-calls");

  private final String wire;

  TicketPurpose(String wire) {
    this.wire = wire;
  }

  /** The JSON and database spelling. */
  @JsonValue
  public String wire() {
    return wire;
  }

  static Optional<TicketPurpose> parse(String text) {
    return Arrays.stream(values()).filter(purpose -> purpose.wire.equals(text)).findFirst();
  }

  static String choices() {
    return Arrays.stream(values()).map(TicketPurpose::wire).collect(Collectors.joining(", "));
  }
}
