package io.parley.auth;

import java.net.URI;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A sign-in or token failure, already shaped as the problem detail the client gets (Spring MVC
 * renders {@link ErrorResponseException} with its status, body and headers).
 */
final class AuthProblem extends ErrorResponseException {

  private AuthProblem(HttpStatus status, String title, String detail) {
    super(status, body(status, title, detail), null);
  }

  static AuthProblem invalidCredentials() {
    return new AuthProblem(
        HttpStatus.UNAUTHORIZED, "Unauthorized", "The e-mail or password is not correct.");
  }

  static AuthProblem invalidRefreshToken(String why) {
    return new AuthProblem(HttpStatus.UNAUTHORIZED, "Unauthorized", why + " Sign in again.");
  }

  static AuthProblem registrationClosed() {
    return new AuthProblem(
        HttpStatus.FORBIDDEN,
        "Registration closed",
        "Registration is closed; ask an administrator to create your account.");
  }

  static AuthProblem tooManyAttempts(Duration wait) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    AuthProblem problem =
        new AuthProblem(
            HttpStatus.TOO_MANY_REQUESTS,
            "Too many attempts",
            "Too many failed sign-in attempts; try again in " + seconds + " seconds.");
    problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
    problem.getBody().setProperty("retryAfterSeconds", seconds);
    return problem;
  }

  private static ProblemDetail body(HttpStatus status, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    problem.setType(URI.create("about:blank"));
    return problem;
  }
}
