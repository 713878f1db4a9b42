package io.parley.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.calls.CallOutcome;
import io.parley.calls.CallStatus;
import io.parley.compliance.GateDecision;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The retry policy on a fake clock: every outcome of an attempt, and where the lead goes. */
class LeadSettlementTest {

  static final Instant NOW = Instant.parse("2026-06-10T16:00:00Z");

  static CampaignSettings settings(int maxAttempts, RetryPolicy retry) {
    return new CampaignSettings(
        CampaignPurpose.INFORMATIONAL,
        UUID.randomUUID(),
        null,
        null,
        "US",
        "enable",
        30,
        5,
        BigDecimal.ONE,
        false,
        maxAttempts,
        retry,
        null,
        null,
        null,
        null,
        null);
  }

  static final CampaignSettings DEFAULTS = settings(3, RetryPolicy.defaults());

  static LeadSettlement after(CallOutcome outcome, CallStatus status, int attempts) {
    return LeadSettlement.after(outcome, status, attempts, DEFAULTS, NOW);
  }

  @Test
  void aConversationAnOptOutAndAnInvalidNumberAreFinal() {
    assertThat(after(CallOutcome.COMPLETED, CallStatus.COMPLETED, 1).status())
        .isEqualTo(LeadStatus.DONE);
    assertThat(after(CallOutcome.TRANSFERRED, CallStatus.COMPLETED, 1).status())
        .isEqualTo(LeadStatus.DONE);
    LeadSettlement optedOut = after(CallOutcome.OPTED_OUT, CallStatus.COMPLETED, 1);
    assertThat(optedOut.status()).isEqualTo(LeadStatus.DNC);
    assertThat(optedOut.lastOutcome()).isEqualTo("opted_out");
    assertThat(after(CallOutcome.INVALID_NUMBER, CallStatus.FAILED, 1).status())
        .isEqualTo(LeadStatus.DONE);
  }

  @Test
  void eachOutcomeThatReachedNobodyWaitsItsOwnDelay() {
    LeadSettlement busy = after(CallOutcome.BUSY, CallStatus.BUSY, 1);
    assertThat(busy.status()).isEqualTo(LeadStatus.RETRY_AT);
    assertThat(busy.nextAttemptAt()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
    assertThat(after(CallOutcome.NO_ANSWER, CallStatus.NO_ANSWER, 1).nextAttemptAt())
        .isEqualTo(NOW.plus(Duration.ofMinutes(60)));
    assertThat(after(CallOutcome.MACHINE, CallStatus.COMPLETED, 1).nextAttemptAt())
        .isEqualTo(NOW.plus(Duration.ofMinutes(240)));
    assertThat(after(CallOutcome.FAILED, CallStatus.FAILED, 1).nextAttemptAt())
        .isEqualTo(NOW.plus(Duration.ofMinutes(30)));
  }

  @Test
  void aCallClosedByItsCarrierStatusAloneIsReadFromTheStatus() {
    assertThat(after(null, CallStatus.BUSY, 1).lastOutcome()).isEqualTo("busy");
    assertThat(after(null, CallStatus.NO_ANSWER, 1).lastOutcome()).isEqualTo("no_answer");
    assertThat(after(null, CallStatus.COMPLETED, 1).status()).isEqualTo(LeadStatus.DONE);
  }

  @Test
  void theRuleOfAnOutcomeAndTheLeadsCapBothLimitTheAttempts() {
    // Machines allow 2 attempts by default: the second machine exhausts the lead.
    assertThat(after(CallOutcome.MACHINE, CallStatus.COMPLETED, 1).status())
        .isEqualTo(LeadStatus.RETRY_AT);
    LeadSettlement second = after(CallOutcome.MACHINE, CallStatus.COMPLETED, 2);
    assertThat(second.status()).isEqualTo(LeadStatus.EXHAUSTED);
    assertThat(second.reason()).contains("2 attempts");
    // Busy allows 5, but the campaign caps every lead at 2.
    CampaignSettings capped =
        settings(
            2,
            new RetryPolicy(
                new RetryPolicy.Rule(5, 5),
                new RetryPolicy.Rule(5, 5),
                new RetryPolicy.Rule(5, 5),
                new RetryPolicy.Rule(5, 5)));
    assertThat(LeadSettlement.after(CallOutcome.BUSY, CallStatus.BUSY, 2, capped, NOW).status())
        .isEqualTo(LeadStatus.EXHAUSTED);
    assertThat(
            LeadSettlement.after(CallOutcome.BUSY, CallStatus.BUSY, 1, capped, NOW).nextAttemptAt())
        .isEqualTo(NOW.plus(Duration.ofMinutes(5)));
  }

  @Test
  void gateRefusalsSendTheLeadWhereWaitingCanOrCannotHelp() {
    Instant opens = NOW.plus(Duration.ofHours(3));
    assertThat(
            CampaignDispatcher.refusal(
                new GateDecision.Refused(GateDecision.Rule.OUTSIDE_WINDOW, "too late", opens, null),
                NOW))
        .isEqualTo(new LeadSettlement(LeadStatus.RETRY_AT, "window_blocked", "too late", opens));
    assertThat(
            CampaignDispatcher.refusal(
                    new GateDecision.Refused(GateDecision.Rule.DO_NOT_CALL, "on it", null, null),
                    NOW)
                .status())
        .isEqualTo(LeadStatus.DNC);
    assertThat(
            CampaignDispatcher.refusal(
                    new GateDecision.Refused(GateDecision.Rule.CONSENT_MISSING, "no", null, null),
                    NOW)
                .status())
        .isEqualTo(LeadStatus.HELD);
    assertThat(
            CampaignDispatcher.refusal(
                new GateDecision.Refused(GateDecision.Rule.NUMBER_CAP, "cap", opens, null), NOW))
        .isEqualTo(new LeadSettlement(LeadStatus.RETRY_AT, "number_cap_blocked", "cap", opens));
    assertThat(
            CampaignDispatcher.refusal(
                    new GateDecision.Refused(GateDecision.Rule.CHECK_FAILED, "db", null, null), NOW)
                .nextAttemptAt())
        .isEqualTo(NOW.plus(CampaignDispatcher.CHECK_FAILED_RETRY));
    // The registry lists: a number on one is final; a missing or stale copy waits for an import.
    assertThat(
            CampaignDispatcher.refusal(
                new GateDecision.Refused(GateDecision.Rule.REGISTRY_DNC, "listed", null, null),
                NOW))
        .isEqualTo(new LeadSettlement(LeadStatus.DNC, "dnc_blocked", "listed", null));
    for (GateDecision.Rule rule :
        new GateDecision.Rule[] {
          GateDecision.Rule.REGISTRY_MISSING, GateDecision.Rule.REGISTRY_STALE
        }) {
      assertThat(CampaignDispatcher.refusal(new GateDecision.Refused(rule, "old", null, null), NOW))
          .isEqualTo(
              new LeadSettlement(
                  LeadStatus.RETRY_AT, null, "old", NOW.plus(CampaignDispatcher.REGISTRY_RETRY)));
    }
  }
}
