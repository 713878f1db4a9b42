package io.parley.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Renders the container's error page as a problem detail. Failures that never reach a controller (a
 * request the security firewall rejects, an exception in a servlet filter) are dispatched here
 * instead of to Spring Boot's default error JSON; like every other error, no exception text. The
 * page is not an endpoint: asked for directly (no error to render) it is a 404, and the API
 * document leaves it out.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

  @RequestMapping("${server.error.path:/error}")
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    HttpStatus status =
        code == null
            ? HttpStatus.NOT_FOUND
            : code instanceof Integer number && HttpStatus.resolve(number) != null
                ? HttpStatus.resolve(number)
                : HttpStatus.INTERNAL_SERVER_ERROR;
    ProblemDetail problem =
        ProblemDetailsAdvice.problem(status, status.getReasonPhrase(), detail(status));
    if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri) {
      try {
        // The container hands over the request URI still percent-encoded, as a URI wants it.
        problem.setInstance(URI.create(uri));
      } catch (IllegalArgumentException notAUri) {
        // A path too broken to quote is left out rather than failing the error page itself.
      }
    }
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }

  private static String detail(HttpStatus status) {
    if (status.is5xxServerError()) {
      return "Something went wrong on our side; it has been logged.";
    }
    return switch (status) {
      case BAD_REQUEST -> "The request is malformed (check the path, headers and body).";
      case NOT_FOUND -> "There is nothing at this address.";
      default -> "The request failed: " + status.getReasonPhrase() + ".";
    };
  }
}
