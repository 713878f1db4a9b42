package io.parley.console;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The console's start page: who is signed in and what their role may do. */
@Controller
class OverviewController {

  @GetMapping("/console")
  String overview() {
    return "console/overview";
  }
}
