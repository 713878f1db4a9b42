package io.parley.console;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What the layout needs on every console page: the user, their navigation, the current path. */
@ControllerAdvice(basePackages = "io.parley.console")
class ConsoleModel {

  @ModelAttribute
  void layout(Model model, HttpServletRequest request) {
    ConsoleUser.current()
        .ifPresent(
            user -> {
              model.addAttribute("user", user);
              model.addAttribute("nav", ConsolePages.visibleTo(user.role()));
            });
    model.addAttribute("currentPath", request.getRequestURI());
  }
}
