package io.parley.calls;

import io.parley.tickets.Tickets;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A recording link that does not open the recording: one 403 for every reason (malformed, signed
 * for another call, forged, expired, its user disabled or signed out since), so probing teaches
 * nothing.
 */
final class LinkRefused extends ErrorResponseException {

  LinkRefused() {
    super(HttpStatus.FORBIDDEN, body(), null);
    Tickets.noStore(getHeaders());
  }

  private static ProblemDetail body() {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.FORBIDDEN,
            "The recording link is not valid (links work for 5 minutes, for the user who asked);"
                + " ask POST /api/calls/{id}/recording/link for a new one.");
    problem.setTitle("Forbidden");
    problem.setType(URI.create("about:blank"));
    return problem;
  }
}
