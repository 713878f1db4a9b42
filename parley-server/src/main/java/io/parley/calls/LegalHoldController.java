package io.parley.calls;

import io.parley.shared.Actor;
import io.parley.shared.AuditEvent;
import io.parley.shared.InvalidInputException;
import io.parley.shared.NotFoundException;
import io.parley.shared.Organisations;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Legal hold: {@code PUT /api/calls/{id}/legal-hold} (ADMIN, audited) exempts a call from every
 * retention purge and from recording deletion until the hold is released.
 */
@RestController
class LegalHoldController {

  private static final int MAX_REASON = 500;

  private final CallRepository calls;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  LegalHoldController(CallRepository calls, ApplicationEventPublisher events, Clock clock) {
    this.calls = calls;
    this.events = events;
    this.clock = clock;
  }

  /**
   * @param hold true to hold the call, false to release it
   * @param reason why (a matter or case reference); required to hold, at most 500 characters
   */
  record LegalHold(Boolean hold, String reason) {}

  @PutMapping("/api/calls/{id}/legal-hold")
  @PreAuthorize("hasRole('ADMIN')")
  @Transactional
  @Operation(
      summary =
          "Holds a call (kept whatever retention says, its recording undeletable) or releases it"
              + " (ADMIN, audited)")
  LegalHold put(@PathVariable UUID id, @RequestBody LegalHold body) {
    if (body == null || body.hold() == null) {
      throw new InvalidInputException("hold", "is required: true or false");
    }
    String reason = body.reason() == null ? null : body.reason().strip();
    if (body.hold() && (reason == null || reason.isEmpty())) {
      throw new InvalidInputException("reason", "is required to hold a call");
    }
    if (reason != null && reason.length() > MAX_REASON) {
      throw new InvalidInputException("reason", "must be at most " + MAX_REASON + " characters");
    }
    CallRecord call =
        calls
            .lock(id)
            .filter(found -> found.organisationId().equals(Organisations.DEFAULT_ID))
            .orElseThrow(() -> new NotFoundException("No call " + id));
    String kept = body.hold() ? reason : null;
    calls.setLegalHold(id, body.hold(), kept, clock.instant());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("was", call.retention().legalHold());
    if (reason != null) {
      details.put("reason", reason);
    }
    Actor actor = Actor.current();
    events.publishEvent(
        new AuditEvent(
            actor.userId(),
            actor.email(),
            body.hold() ? "call.legal_hold_set" : "call.legal_hold_released",
            "call",
            id.toString(),
            details));
    return new LegalHold(body.hold(), kept);
  }
}
