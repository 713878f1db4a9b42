package io.parley.tickets;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A ticket that does not admit its bearer: one 401 for every reason (unknown, used, expired, for
 * another purpose, its user disabled or signed out), so a client learns nothing by probing; the log
 * says which it was. Spring MVC renders it with its status, body and headers.
 */
final class TicketRefused extends ErrorResponseException {

  TicketRefused() {
    super(HttpStatus.UNAUTHORIZED, body(), null);
    Tickets.noStore(getHeaders());
  }

  private static ProblemDetail body() {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.UNAUTHORIZED,
            "The ticket is not valid (tickets work once, for one purpose, for 60 seconds); ask"
                + " POST /api/tickets for a new one.");
    problem.setTitle("Unauthorized");
    problem.setType(URI.create("about:blank"));
    return problem;
  }
}
