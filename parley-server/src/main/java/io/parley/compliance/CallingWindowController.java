package io.parley.compliance;

import io.swagger.v3.oas.annotations.Operation;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Lets operators ask whether a number may be called right now, and when it may be next. */
@RestController
class CallingWindowController {

  private final CallingWindow window;

  CallingWindowController(CallingWindow window) {
    this.window = window;
  }

  @GetMapping("/api/calling-window/check")
  @PreAuthorize("hasRole('OPERATOR')")
  @Operation(summary = "Evaluates the calling window for a number in the callee's local time")
  CallingDecision check(
      @RequestParam(required = false) String phoneNumber,
      @RequestParam(required = false) String timeZone) {
    return window.check(phoneNumber, timeZone);
  }
}
