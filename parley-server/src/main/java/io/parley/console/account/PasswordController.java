package io.parley.console.account;

import io.parley.auth.SessionSignIns;
import io.parley.auth.SessionSignIns.SignedIn;
import io.parley.console.ConsoleUser;
import io.parley.console.SignedInSessions;
import io.parley.shared.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The signed-in user's password. A change ends every other sign-in of the account (its tokens and
 * other sessions); this session carries on under a new id.
 */
@Controller
class PasswordController {

  private final SessionSignIns signIns;
  private final SignedInSessions sessions;

  PasswordController(SessionSignIns signIns, SignedInSessions sessions) {
    this.signIns = signIns;
    this.sessions = sessions;
  }

  @GetMapping("/account/password")
  String form() {
    return "console/account/password";
  }

  @PostMapping("/account/password")
  String change(
      @RequestParam(defaultValue = "") String currentPassword,
      @RequestParam(defaultValue = "") String newPassword,
      @RequestParam(defaultValue = "") String confirmPassword,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    if (!newPassword.equals(confirmPassword)) {
      model.addAttribute("errors", Map.of("confirmPassword", "does not match the new password"));
      return "console/account/password";
    }
    try {
      SignedIn changed =
          signIns.changePassword(
              ConsoleUser.required(), currentPassword, newPassword, request.getRemoteAddr());
      sessions.replace(changed, request, response);
      return "redirect:/account/password?changed";
    } catch (InvalidInputException invalid) {
      model.addAttribute("errors", invalid.fieldErrors());
    } catch (ErrorResponseException refused) {
      model.addAttribute("errors", Map.of("form", refused.getBody().getDetail()));
    }
    return "console/account/password";
  }
}
