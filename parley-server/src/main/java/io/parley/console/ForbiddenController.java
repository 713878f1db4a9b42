package io.parley.console;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;

/** The page a refused request gets (a role too low, a form without its CSRF token): 403. */
@Controller
class ForbiddenController {

  static final String EXPIRED_FORM = "io.parley.console.expiredForm";

  @RequestMapping("/console/forbidden")
  @ResponseStatus(HttpStatus.FORBIDDEN)
  String forbidden(HttpServletRequest request, Model model) {
    model.addAttribute("expiredForm", Boolean.TRUE.equals(request.getAttribute(EXPIRED_FORM)));
    return "console/forbidden";
  }
}
