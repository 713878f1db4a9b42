package io.parley.console.users;

import io.parley.auth.ConsoleUsers;
import io.parley.auth.Role;
import io.parley.console.ConsoleUser;
import io.parley.shared.ConflictException;
import io.parley.shared.InvalidInputException;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Accounts, for administrators: the list and a form to create one. Only ADMIN reaches these paths
 * (ConsolePages); the form posts through htmx and gets the whole page back.
 */
@Controller
class UsersController {

  private final ConsoleUsers users;

  UsersController(ConsoleUsers users) {
    this.users = users;
  }

  @GetMapping("/console/users")
  String list(Model model) {
    return page(model);
  }

  @PostMapping("/console/users")
  String create(
      @RequestParam(defaultValue = "") String email,
      @RequestParam(defaultValue = "") String password,
      @RequestParam(defaultValue = "") String role,
      @RequestParam(defaultValue = "") String displayName,
      Model model) {
    try {
      users.create(email, password, role, displayName, ConsoleUser.required());
      model.addAttribute("created", email.trim());
    } catch (InvalidInputException invalid) {
      model.addAttribute("errors", invalid.fieldErrors());
      model.addAttribute("form", Map.of("email", email, "role", role, "displayName", displayName));
    } catch (ConflictException taken) {
      model.addAttribute("errors", Map.of("email", "is already the e-mail of an account"));
      model.addAttribute("form", Map.of("email", email, "role", role, "displayName", displayName));
    }
    return page(model);
  }

  private String page(Model model) {
    model.addAttribute("accounts", users.list());
    model.addAttribute("roles", Role.values());
    return "console/users";
  }
}
