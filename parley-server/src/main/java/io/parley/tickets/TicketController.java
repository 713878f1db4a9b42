package io.parley.tickets;

import io.parley.auth.SignIns;
import io.parley.shared.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
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
 * unknown one is a 422 naming the field and the purposes there are.
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

  record TicketRequest(String purpose) {}

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
    IssuedTicket ticket = tickets.issue(signIns.current(), purpose, null);
    HttpHeaders headers = new HttpHeaders();
    Tickets.noStore(headers);
    return ResponseEntity.status(HttpStatus.CREATED).headers(headers).body(ticket);
  }
}
