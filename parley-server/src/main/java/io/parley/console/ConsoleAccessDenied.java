package io.parley.console;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

/**
 * A refused console request (a role too low, a post without its CSRF token): 403, as a page for a
 * browser (it asks for text/html) and as a problem detail for anything else, like every other error
 * Parley answers.
 */
class ConsoleAccessDenied implements AccessDeniedHandler {

  static final String EXPIRED_FORM =
      "This form has expired or did not come from this console. Reload the page and try again.";
  static final String ROLE_TOO_LOW =
      "Your role does not allow this. Ask an administrator if you need it.";

  @Override
  public void handle(
      HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
      throws IOException, ServletException {
    boolean expiredForm = denied instanceof CsrfException;
    response.setStatus(HttpServletResponse.SC_FORBIDDEN);
    if (wantsHtml(request)) {
      request.setAttribute(ForbiddenController.EXPIRED_FORM, expiredForm);
      request.getRequestDispatcher("/console/forbidden").forward(request, response);
      return;
    }
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response
        .getWriter()
        .write(
            "{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,\"detail\":\""
                + (expiredForm ? EXPIRED_FORM : ROLE_TOO_LOW)
                + "\"}");
  }

  private static boolean wantsHtml(HttpServletRequest request) {
    String accept = request.getHeader("Accept");
    if (accept == null) {
      return false;
    }
    try {
      return MediaType.parseMediaTypes(accept).stream()
          .anyMatch(type -> !type.isWildcardType() && type.includes(MediaType.TEXT_HTML));
    } catch (InvalidMediaTypeException malformed) {
      return false;
    }
  }
}
