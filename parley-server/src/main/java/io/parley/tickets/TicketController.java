package io.parley.tickets;

import io.parley.auth.SignIns;
import io.parley.shared.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/tickets}: any signed-in user may ask; what the ticket then opens is checked by
 * the endpoint of its purpose. The purpose arrives as text and is parsed here, so a missing or
 * unknown one is a 422 naming the field and the purposes there are. A purpose bound to one resource
 * needs its id ({@code campaignId} for {@code campaign-events}, {@code sessionId} for {@code
 * playground-reply}); whether it names anything is for the endpoint to say (404 after the ticket is
 * spent), as this module knows no campaigns or sessions.
 */
@RestController
@RequestMapping("/api/tickets")
class TicketController {

  private final Tickets tickets;
  private final SignIns signIns;

  TicketController(Tickets tickets, SignIns signIns) {
    this.tickets = tickets;
    this.signIns = signIns;
  }

  /**
   * @param campaignId the campaign a {@code campaign-events} ticket opens; no other purpose takes
   *     it
   * @param sessionId the playground session a {@code playground-reply} ticket opens; no other
   *     purpose takes it
   */
  record TicketRequest(String purpose, String campaignId, String sessionId) {

    /** The value of a resource field, by its name. */
    String resourceField(String name) {
      return switch (name) {
        case "campaignId" -> campaignId;
        case "sessionId" -> sessionId;
        default -> throw new IllegalArgumentException("No resource field " + name);
      };
    }
  }

  /** Every resource field a request may carry, with the purpose that takes it. */
  private static final java.util.List<TicketPurpose> BOUND =
      java.util.Arrays.stream(TicketPurpose.values()).filter(TicketPurpose::bound).toList();

  @PostMapping
  @PreAuthorize("hasRole('VIEWER')")
  @Operation(
      summary =
          "Issues a ticket for one stream or download a browser cannot send a bearer header to:"
              + " single use, 60 seconds, one purpose")
  ResponseEntity<IssuedTicket> issue(@RequestBody TicketRequest request) {
    if (request.purpose() == null) {
      throw new InvalidInputException("purpose", "is required: one of " + TicketPurpose.choices());
    }
    TicketPurpose purpose =
        TicketPurpose.parse(request.purpose())
            .orElseThrow(
                () ->
                    new InvalidInputException(
                        "purpose", "must be one of " + TicketPurpose.choices()));
    IssuedTicket ticket = tickets.issue(signIns.current(), purpose, resource(purpose, request));
    HttpHeaders headers = new HttpHeaders();
    Tickets.noStore(headers);
    return ResponseEntity.status(HttpStatus.CREATED).headers(headers).body(ticket);
  }

  /**
   * The one resource the ticket opens, as its canonical UUID text (the endpoint redeems with the
   * same spelling), or null for a purpose that opens its endpoint as a whole.
   */
  private static String resource(TicketPurpose purpose, TicketRequest request) {
    for (TicketPurpose other : BOUND) {
      String field = other.resourceField();
      if (other != purpose
          && !field.equals(purpose.resourceField())
          && request.resourceField(field) != null) {
        throw new InvalidInputException(
            field,
            "is only taken with purpose "
                + other.wire()
                + "; a "
                + purpose.wire()
                + " ticket does not take it");
      }
    }
    if (!purpose.bound()) {
      return null;
    }
    String field = purpose.resourceField();
    String value = request.resourceField(field);
    if (value == null) {
      throw new InvalidInputException(field, "is required for a " + purpose.wire() + " ticket");
    }
    try {
      return UUID.fromString(value.strip()).toString();
    } catch (IllegalArgumentException notAnId) {
      throw new InvalidInputException(field, "must be an id (UUID)");
    }
  }
}
