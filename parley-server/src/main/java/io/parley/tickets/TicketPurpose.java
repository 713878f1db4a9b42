package io.parley.tickets;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a ticket opens: one endpoint each, so a ticket for one stream is worthless at another. Only
 * purposes whose endpoint exists are here (recordings use signed links instead). A purpose with a
 * {@link #resourceField()} opens its endpoint for one resource only: the ticket request names it in
 * that field, the ticket stores it as its {@code resource}, and the endpoint redeems the ticket for
 * the resource it serves.
 */
public enum TicketPurpose {
  /** The live calls stream, {@code GET /api/calls/live/events}. */
  LIVE_CALLS("live-calls", null),

  /** One campaign's live progress, {@code GET /api/campaigns/{id}/events}. */
  CAMPAIGN_EVENTS("campaign-events", "campaignId"),

  /** One playground session's reply stream, {@code GET /api/playground/sessions/{id}/reply}. */
  PLAYGROUND_REPLY("playground-reply", "sessionId");

  private final String wire;
  private final String resourceField;

  TicketPurpose(String wire, String resourceField) {
    this.wire = wire;
    this.resourceField = resourceField;
  }

  /** The JSON and database spelling. */
  @JsonValue
  public String wire() {
    return wire;
  }

  /**
   * The field of {@code POST /api/tickets} naming the one resource a ticket of this purpose opens
   * (a UUID), or null when the purpose opens its endpoint as a whole.
   */
  String resourceField() {
    return resourceField;
  }

  boolean bound() {
    return resourceField != null;
  }

  static Optional<TicketPurpose> parse(String text) {
    return Arrays.stream(values()).filter(purpose -> purpose.wire.equals(text)).findFirst();
  }

  static String choices() {
    return Arrays.stream(values()).map(TicketPurpose::wire).collect(Collectors.joining(", "));
  }
}
