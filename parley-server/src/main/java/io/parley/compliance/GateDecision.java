package io.parley.compliance;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.Locale;

/** What the compliance gate says about one dial: allowed, or refused with the rule that refused. */
public sealed interface GateDecision {

  /** The dial may go ahead now. */
  record Allowed(CallingDecision window) implements GateDecision {}

  /**
   * The dial may not go ahead.
   *
   * @param rule the rule that refused (the first one checked that did)
   * @param reason a sentence for people and logs
   * @param retryAt the earliest instant the same dial could pass, or null when waiting will not
   *     help (a do-not-call entry, missing consent, no attempts left, a failed check)
   * @param window the calling-window decision when the window refused, else null
   */
  record Refused(Rule rule, String reason, Instant retryAt, CallingDecision window)
      implements GateDecision {}

  /** The rules, in the order the gate checks them. */
  enum Rule {
    /** The number is on the company-wide do-not-call list, or on the campaign's. */
    DO_NOT_CALL,
    /** A telemarketing dial to a number on a registry list (a national or state registry copy). */
    REGISTRY_DNC,
    /**
     * A telemarketing dial to a number whose region needs a national registry copy covering its
     * area code (PARLEY_DNC_REGISTRY_REGIONS), and none does: the gate cannot tell whether the
     * number is registered, so it refuses (fails closed).
     */
    REGISTRY_MISSING,
    /**
     * A telemarketing dial to a number covered by a registry copy older than
     * PARLEY_DNC_REGISTRY_MAX_AGE: the copy cannot vouch for it any more.
     */
    REGISTRY_STALE,
    /** The purpose needs the callee's consent and none is recorded. */
    CONSENT_MISSING,
    /** The lead has had every attempt its campaign allows. */
    ATTEMPTS_USED,
    /** The number had as many calls as allowed over the last 24 hours. */
    NUMBER_CAP,
    /** No time zone is known for the callee. */
    ZONE_UNKNOWN,
    /** It is outside the calling window in one of the callee's zones. */
    OUTSIDE_WINDOW,
    /** A check could not be made (a database error, say): the gate fails closed. */
    CHECK_FAILED;

    @JsonValue
    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
