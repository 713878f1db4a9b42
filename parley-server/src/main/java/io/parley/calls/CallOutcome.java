package io.parley.calls;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * The one disposition an attempt ends with (set once; the first one recorded wins). Carrier results
 * for calls that never connected are recorded automatically; the rest are set by whoever ends the
 * call: telephony (machine, rejected), the conversation or its tools (opted out, transferred).
 */
public enum CallOutcome {
  /** The conversation ran and ended normally (either side hung up or the agent said goodbye). */
  COMPLETED,
  NO_ANSWER,
  BUSY,
  /** The carrier could not place the call (invalid number, network error). */
  FAILED,
  /** The call was cancelled before it was answered. */
  CANCELED,
  /** Answering-machine detection found a machine; the agent did not talk to it. */
  MACHINE,
  FAX,
  /** The caller asked not to be called again; the number went on the do-not-call list. */
  OPTED_OUT,
  TRANSFERRED,
  /** Parley declined the call: no agent for the number, or the concurrency cap was reached. */
  REJECTED,
  /** The call reached its maximum duration. */
  MAX_DURATION,
  /** Providers or Parley itself failed past their budget, or the call was found orphaned. */
  SYSTEM_ERROR,
  /**
   * The compliance gate refused a campaign's dial: the number is on a do-not-call list. Nothing was
   * dialled, so no call record carries it; it is a lead's last outcome.
   */
  DNC_BLOCKED,
  /**
   * The compliance gate refused a campaign's dial: outside the calling window in one of the lead's
   * zones; the lead waits for the window to open. A lead's last outcome, like {@link #DNC_BLOCKED}.
   */
  WINDOW_BLOCKED,
  /**
   * The compliance gate refused a campaign's dial: the number had as many calls over the last 24
   * hours as allowed ({@code PARLEY_NUMBER_DAILY_CAP}); the lead waits. A lead's last outcome.
   */
  NUMBER_CAP_BLOCKED,
  /**
   * The compliance gate refused a campaign's dial: the campaign needs consent and the lead has no
   * consent record; the lead is held. A lead's last outcome.
   */
  CONSENT_MISSING,
  /** Twilio refused the number itself (it cannot be called); never retried. */
  INVALID_NUMBER,
  /**
   * A campaign's live answer the agent could not speak to within 2 s: Parley played the campaign's
   * safe-harbour message and hung up. Counted as a drop; the lead is retried like a failed call.
   */
  ABANDONED,
  /**
   * Answering-machine detection found a machine and the agent left the call's voicemail message
   * after the greeting's beep, then hung up. The lead is retried like a machine.
   */
  VOICEMAIL_LEFT;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<CallOutcome> parse(String text) {
    for (CallOutcome outcome : values()) {
      if (outcome.wire().equals(text)) {
        return Optional.of(outcome);
      }
    }
    return Optional.empty();
  }

  /** The disposition a carrier status implies for a call that never connected. */
  static Optional<CallOutcome> ofUnanswered(CallStatus status) {
    return switch (status) {
      case BUSY -> Optional.of(BUSY);
      case NO_ANSWER -> Optional.of(NO_ANSWER);
      case FAILED -> Optional.of(FAILED);
      case CANCELED -> Optional.of(CANCELED);
      default -> Optional.empty();
    };
  }
}
