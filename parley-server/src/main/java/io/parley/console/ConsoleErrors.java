package io.parley.console;

import io.parley.shared.NotFoundException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * Refusals thrown inside console controllers (a {@code @PreAuthorize} role above the page's, an
 * unknown id) answered as the console answers them: the 403 page (or problem detail) the security
 * chain gives, a 404 page. Ahead of the API's problem-detail advice, for console controllers only.
 */
@ControllerAdvice(basePackages = "io.parley.console")
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleErrors {

  @ExceptionHandler(AccessDeniedException.class)
  void forbidden(
      AccessDeniedException denied, HttpServletRequest request, HttpServletResponse response)
      throws IOException, ServletException {
    new ConsoleAccessDenied().handle(request, response, denied);
  }

  @ExceptionHandler(NotFoundException.class)
  @ResponseStatus(HttpStatus.NOT_FOUND)
  String notFound(NotFoundException missing, Model model, HttpServletRequest request) {
    // @ModelAttribute methods do not run for exception handlers: the layout's part by hand.
    new ConsoleModel().layout(model, request);
    model.addAttribute("message", missing.getMessage());
    return "console/not-found";
  }
}
