package io.parley.console;

import io.parley.auth.FirstAdmin;
import io.parley.shared.ConflictException;
import io.parley.shared.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.util.Map;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.WebAttributes;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Sign-in and first-run setup pages. Spring Security handles the sign-in's POST and the sign-out;
 * this renders the pages and creates the first administrator with the log's setup code.
 */
@Controller
class SignInController {

  private final FirstAdmin firstAdmin;

  SignInController(FirstAdmin firstAdmin) {
    this.firstAdmin = firstAdmin;
  }

  @GetMapping("/")
  String root() {
    return "redirect:/console";
  }

  @GetMapping("/login")
  String login(HttpServletRequest request, Model model) {
    if (ConsoleUser.current().isPresent()) {
      return "redirect:/console";
    }
    if (firstAdmin.needed()) {
      return "redirect:/setup";
    }
    HttpSession session = request.getSession(false);
    if (request.getParameter("error") != null
        && session != null
        && session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION)
            instanceof AuthenticationException refused) {
      model.addAttribute("error", refused.getMessage());
      session.removeAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
    } else if (request.getParameter("error") != null) {
      model.addAttribute("error", "The e-mail or password is not correct.");
    }
    return "console/login";
  }

  @GetMapping("/setup")
  String setupForm() {
    return firstAdmin.needed() ? "console/setup" : "redirect:/login";
  }

  @PostMapping("/setup")
  String setup(
      @RequestParam(defaultValue = "") String setupCode,
      @RequestParam(defaultValue = "") String email,
      @RequestParam(defaultValue = "") String password,
      @RequestParam(defaultValue = "") String displayName,
      HttpServletRequest request,
      Model model) {
    model.addAttribute("email", email);
    model.addAttribute("displayName", displayName);
    try {
      firstAdmin.setUp(
          new FirstAdmin.Setup(setupCode, email, password, displayName), request.getRemoteAddr());
      return "redirect:/login?setUp";
    } catch (InvalidInputException invalid) {
      model.addAttribute("errors", invalid.fieldErrors());
      // A code that was right is kept, so fixing the password does not mean typing it again.
      if (!invalid.fieldErrors().containsKey("setupCode")) {
        model.addAttribute("setupCode", setupCode);
      }
    } catch (ConflictException done) {
      model.addAttribute("errors", Map.of("form", done.getMessage()));
    } catch (ErrorResponseException refused) {
      model.addAttribute("errors", Map.of("form", refused.getBody().getDetail()));
    }
    return "console/setup";
  }
}
