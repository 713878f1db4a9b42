package io.parley.audit;

import io.parley.shared.InvalidInputException;
import io.parley.shared.Page;
import io.parley.shared.PageRequest;
import java.time.Instant;
import java.util.UUID;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit log, newest first; ADMIN only. */
@RestController
@RequestMapping("/api/audit")
@PreAuthorize("hasRole('ADMIN')")
class AuditController {

  private final AuditLog log;

  AuditController(AuditLog log) {
    this.log = log;
  }

  /**
   * Lists entries, optionally filtered.
   *
   * @param from inclusive lower bound (ISO-8601 instant)
   * @param to exclusive upper bound (ISO-8601 instant)
   */
  @GetMapping
  Page<AuditEntry> list(
      @RequestParam(required = false) String action,
      @RequestParam(required = false) UUID actorId,
      @RequestParam(required = false) String targetType,
      @RequestParam(required = false) String targetId,
      @RequestParam(required = false) Instant from,
      @RequestParam(required = false) Instant to,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size) {
    if (from != null && to != null && !from.isBefore(to)) {
      throw new InvalidInputException("to", "must be after from");
    }
    return log.find(
        new AuditFilter(
            blankToNull(action), actorId, blankToNull(targetType), blankToNull(targetId), from, to),
        PageRequest.of(page, size));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
