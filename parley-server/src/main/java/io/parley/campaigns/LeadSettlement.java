package io.parley.campaigns;

import io.parley.calls.CallOutcome;
import io.parley.calls.CallStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * Where a lead goes after an attempt ended: the campaign's retry policy applied to the call's
 * outcome.
 *
 * @param status the lead's new status
 * @param lastOutcome the outcome recorded on the lead
 * @param reason a sentence for the lead's status_reason, or null
 * @param nextAttemptAt when it is tried again ({@code retry_at} only), else null
 */
record LeadSettlement(LeadStatus status, String lastOutcome, String reason, Instant nextAttemptAt) {

  /**
   * Settles an attempt.
   *
   * @param outcome the call's outcome, or null when only the carrier status is known
   * @param status the call's final carrier status
   * @param attempts the lead's attempts, this one included
   */
  static LeadSettlement after(
      CallOutcome outcome,
      CallStatus status,
      int attempts,
      CampaignSettings settings,
      Instant now) {
    CallOutcome effective = outcome != null ? outcome : fromStatus(status);
    String wire = effective.wire();
    if (effective == CallOutcome.OPTED_OUT || effective == CallOutcome.DNC_BLOCKED) {
      return new LeadSettlement(
          LeadStatus.DNC, wire, "the number is on the do-not-call list", null);
    }
    if (effective == CallOutcome.INVALID_NUMBER) {
      return new LeadSettlement(LeadStatus.DONE, wire, "Twilio cannot call this number", null);
    }
    RetryPolicy retry = settings.retry();
    RetryPolicy.Rule rule =
        switch (effective) {
          case COMPLETED, TRANSFERRED, MAX_DURATION -> null;
          case BUSY -> retry.busy();
          case NO_ANSWER, CANCELED -> retry.noAnswer();
          case MACHINE, FAX, VOICEMAIL_LEFT -> retry.machine();
          default -> retry.failed();
        };
    if (rule == null) {
      return new LeadSettlement(LeadStatus.DONE, wire, null, null);
    }
    int allowed = Math.min(rule.maxAttempts(), settings.maxAttempts());
    if (attempts >= allowed) {
      return new LeadSettlement(
          LeadStatus.EXHAUSTED,
          wire,
          "all " + allowed + " attempts allowed after " + wire + " were made",
          null);
    }
    return new LeadSettlement(
        LeadStatus.RETRY_AT, wire, null, now.plus(Duration.ofMinutes(rule.delayMinutes())));
  }

  // A call closed by its carrier status alone (no one set an outcome).
  private static CallOutcome fromStatus(CallStatus status) {
    return switch (status) {
      case BUSY -> CallOutcome.BUSY;
      case NO_ANSWER -> CallOutcome.NO_ANSWER;
      case CANCELED -> CallOutcome.CANCELED;
      case COMPLETED -> CallOutcome.COMPLETED;
      default -> CallOutcome.FAILED;
    };
  }
}
