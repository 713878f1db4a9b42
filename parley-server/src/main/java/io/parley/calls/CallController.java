package io.parley.calls;

import io.parley.shared.Organisations;
import io.parley.shared.Page;
import io.parley.shared.PageRequest;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The call history API (read only). Filters arrive as text and are parsed by {@link CallFilter}, so
 * a bad value is a 422 naming the parameter rather than a generic conversion error.
 */
@RestController
@RequestMapping("/api/calls")
class CallController {

  private final CallHistory history;

  CallController(CallHistory history) {
    this.history = history;
  }

  @GetMapping
  @PreAuthorize("hasRole('VIEWER')")
  Page<CallSummary> list(
      @RequestParam(required = false) String agentId,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String direction,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size) {
    CallFilter filter = CallFilter.parse(agentId, status, direction, from, to);
    return history.list(Organisations.DEFAULT_ID, filter, PageRequest.of(page, size));
  }

  @GetMapping("/{id}")
  @PreAuthorize("hasRole('VIEWER')")
  CallDetails get(@PathVariable UUID id) {
    return history.details(Organisations.DEFAULT_ID, id);
  }
}
