package io.parley.compliance;

import io.parley.compliance.GateDecision.Allowed;
import io.parley.compliance.GateDecision.Refused;
import io.parley.compliance.GateDecision.Rule;
import io.parley.shared.InvalidInputException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The one place that decides whether a number may be dialled now: manual calls and campaign dials
 * pass through it at the moment of dialling (never at import: a number may join the do-not-call
 * list, or the window close, in between). The rules run in a fixed order, the ones that waiting
 * cannot cure first, and the first refusal is the answer. Any check that cannot be made (the
 * database is down, the zone is unknown) refuses: the gate fails closed.
 */
@Component
public class ComplianceGate {

  private static final Logger log = LoggerFactory.getLogger(ComplianceGate.class);
  static final Duration CAP_PERIOD = Duration.ofHours(24);

  private final DoNotCallList dnc;
  private final CallingWindow window;
  private final RecentDials recent;
  private final int numberDailyCap;
  private final Clock clock;

  ComplianceGate(
      DoNotCallList dnc,
      CallingWindow window,
      RecentDials recent,
      GateProperties properties,
      ObjectProvider<Clock> clock) {
    this.dnc = dnc;
    this.window = window;
    this.recent = recent;
    this.numberDailyCap = properties.numberDailyCap();
    this.clock = clock.getIfUnique(Clock::systemUTC);
  }

  /** The attempts one number may receive over a rolling 24 hours. */
  public int numberDailyCap() {
    return numberDailyCap;
  }

  /**
   * Checks one dial.
   *
   * @throws InvalidInputException naming {@code phoneNumber} or {@code timeZone} when the request
   *     itself is malformed (that is the caller's mistake, not a rule's refusal)
   */
  public GateDecision check(DialCheck dial) {
    try {
      return decide(dial);
    } catch (InvalidInputException e) {
      throw e;
    } catch (RuntimeException e) {
      log.warn("Compliance check for a dial failed, so the dial is refused: {}", e.toString());
      return new Refused(
          Rule.CHECK_FAILED,
          "a compliance check could not be made (" + e.getClass().getSimpleName() + ")",
          null,
          null);
    }
  }

  private GateDecision decide(DialCheck dial) {
    if (dnc.isBlocked(dial.organisationId(), dial.phoneNumber())) {
      return new Refused(
          Rule.DO_NOT_CALL, dial.phoneNumber() + " is on the do-not-call list", null, null);
    }
    if (dial.consentRequired() && (dial.consentAt() == null || blank(dial.consentSource()))) {
      return new Refused(
          Rule.CONSENT_MISSING,
          "this campaign needs the callee's consent (consent_source and consent_at) and none is"
              + " recorded",
          null,
          null);
    }
    if (dial.maxAttempts() != null && dial.attemptsMade() >= dial.maxAttempts()) {
      return new Refused(
          Rule.ATTEMPTS_USED,
          "all " + dial.maxAttempts() + " attempts allowed for this lead were made",
          null,
          null);
    }
    Instant now = clock.instant();
    Instant since = now.minus(CAP_PERIOD);
    int made = recent.count(dial.organisationId(), dial.phoneNumber(), since);
    if (made >= numberDailyCap) {
      Instant first = recent.first(dial.organisationId(), dial.phoneNumber(), since).orElse(now);
      return new Refused(
          Rule.NUMBER_CAP,
          dial.phoneNumber()
              + " was called "
              + made
              + " times in the last 24 hours, the most allowed (PARLEY_NUMBER_DAILY_CAP = "
              + numberDailyCap
              + ")",
          first.plus(CAP_PERIOD),
          null);
    }
    CallingDecision decision = window.check(dial.phoneNumber(), dial.timeZone());
    return switch (decision.verdict()) {
      case ALLOWED -> new Allowed(decision);
      case ZONE_UNKNOWN -> new Refused(Rule.ZONE_UNKNOWN, decision.reason(), null, decision);
      case OUTSIDE_WINDOW ->
          new Refused(Rule.OUTSIDE_WINDOW, decision.reason(), decision.nextAllowedAt(), decision);
    };
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }
}
