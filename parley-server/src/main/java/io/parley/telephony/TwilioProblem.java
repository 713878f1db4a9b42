package io.parley.telephony;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A request that needed Twilio and could not be served: 503 when no Twilio account is configured
 * (nothing to retry until an operator sets one), 502 when Twilio refused or failed. The detail is
 * the {@link CallControlException}'s message, which never names the auth token or an internal URL.
 */
final class TwilioProblem extends ErrorResponseException {

  private TwilioProblem(HttpStatus status, String title, String detail) {
    super(status, body(status, title, detail), null);
  }

  static TwilioProblem of(CallControlException e) {
    if (e.reason() == CallControlException.Reason.NOT_CONFIGURED) {
      return new TwilioProblem(
          HttpStatus.SERVICE_UNAVAILABLE, "Twilio is not configured", e.getMessage());
    }
    return new TwilioProblem(HttpStatus.BAD_GATEWAY, "Twilio failed", e.getMessage());
  }

  private static ProblemDetail body(HttpStatus status, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    problem.setType(URI.create("about:blank"));
    return problem;
  }
}
