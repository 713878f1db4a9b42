package io.parley.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.calls.CallOutcome;
import io.parley.calls.CallStatus;
import io.parley.compliance.GateDecision;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** How a pending callback merges with an attempt's settlement, and how a callback time is read. */
class CallbackSettlementTest {

  static final Instant NOW = LeadSettlementTest.NOW;
  static final Instant DUE = Instant.parse("2026-06-11T19:00:00Z");
  static final String DUE_LOCAL = "2026-06-11T15:00 America/New_York";

  static CallbackSettlement merge(
      LeadSettlement settlement, LeadCallback.State state, boolean cancelled) {
    return CallbackSettlement.merge(settlement, state, DUE, DUE_LOCAL, cancelled);
  }

  @Test
  void aCallbackBookedDuringTheCallTakesTheLeadAndKeepsWhereItWouldHaveGone() {
    LeadSettlement done = LeadSettlementTest.after(CallOutcome.COMPLETED, CallStatus.COMPLETED, 1);
    CallbackSettlement merged = merge(done, LeadCallback.State.SCHEDULED, false);
    assertThat(merged.lead().status()).isEqualTo(LeadStatus.CALLBACK);
    // The call's outcome is recorded all the same.
    assertThat(merged.lead().lastOutcome()).isEqualTo("completed");
    assertThat(merged.lead().nextAttemptAt()).isEqualTo(DUE);
    assertThat(merged.lead().reason()).contains("2026-06-11T15:00");
    assertThat(merged.state()).isEqualTo(LeadCallback.State.SCHEDULED);
    assertThat(merged.prior()).isEqualTo(done);

    // Even when the attempts are used up: the person asked.
    LeadSettlement exhausted = LeadSettlementTest.after(CallOutcome.BUSY, CallStatus.BUSY, 3);
    assertThat(exhausted.status()).isEqualTo(LeadStatus.EXHAUSTED);
    assertThat(merge(exhausted, LeadCallback.State.SCHEDULED, false).lead().status())
        .isEqualTo(LeadStatus.CALLBACK);
  }

  @Test
  void anOptOutInTheSameCallOrACancelledCampaignDropsTheCallback() {
    LeadSettlement optedOut =
        LeadSettlementTest.after(CallOutcome.OPTED_OUT, CallStatus.COMPLETED, 1);
    CallbackSettlement merged = merge(optedOut, LeadCallback.State.SCHEDULED, false);
    assertThat(merged.lead()).isEqualTo(optedOut);
    assertThat(merged.state()).isEqualTo(LeadCallback.State.CANCELLED);
    assertThat(merged.note()).contains("do-not-call");

    LeadSettlement done = LeadSettlementTest.after(CallOutcome.COMPLETED, CallStatus.COMPLETED, 1);
    CallbackSettlement cancelled = merge(done, LeadCallback.State.SCHEDULED, true);
    assertThat(cancelled.lead()).isEqualTo(done);
    assertThat(cancelled.state()).isEqualTo(LeadCallback.State.CANCELLED);
    assertThat(cancelled.note()).contains("campaign was cancelled");
  }

  @Test
  void theGateMovesACallbackOutsideTheWindowAndDropsOneThatCanNoLongerBeCalled() {
    Instant opens = Instant.parse("2026-06-11T12:00:00Z");
    LeadSettlement window =
        CampaignDispatcher.refusal(
            new GateDecision.Refused(
                GateDecision.Rule.OUTSIDE_WINDOW, "22:00 is outside 08:00-21:00", opens, null),
            NOW);
    CallbackSettlement moved = merge(window, LeadCallback.State.DIALING, false);
    assertThat(moved.lead().status()).isEqualTo(LeadStatus.CALLBACK);
    assertThat(moved.lead().nextAttemptAt()).isEqualTo(opens);
    assertThat(moved.lead().lastOutcome()).isEqualTo("window_blocked");
    assertThat(moved.state()).isEqualTo(LeadCallback.State.SCHEDULED);
    assertThat(moved.dueAt()).isEqualTo(opens);
    // The prior status stays the one from the booking.
    assertThat(moved.prior()).isNull();
    assertThat(moved.note()).startsWith("moved: ");

    LeadSettlement dnc =
        CampaignDispatcher.refusal(
            new GateDecision.Refused(GateDecision.Rule.DO_NOT_CALL, "on the list", null, null),
            NOW);
    CallbackSettlement dropped = merge(dnc, LeadCallback.State.DIALING, false);
    assertThat(dropped.lead().status()).isEqualTo(LeadStatus.DNC);
    assertThat(dropped.state()).isEqualTo(LeadCallback.State.CANCELLED);
    assertThat(merge(window, LeadCallback.State.DIALING, true).state())
        .isEqualTo(LeadCallback.State.CANCELLED);
  }

  @Test
  void aCallbackTimeIsReadInTheLeadsZoneOrWithItsOwnOffset() {
    ZoneId newYork = ZoneId.of("America/New_York");
    assertThat(LeadCallbacks.read("2026-12-08T15:00", newYork))
        .isEqualTo(Instant.parse("2026-12-08T20:00:00Z"));
    assertThat(LeadCallbacks.read(" 2026-12-08 15:00:30 ", newYork))
        .isEqualTo(Instant.parse("2026-12-08T20:00:30Z"));
    assertThat(LeadCallbacks.read("2026-12-08T15:00Z", newYork))
        .isEqualTo(Instant.parse("2026-12-08T15:00:00Z"));
    assertThat(LeadCallbacks.read("2026-12-08T15:00+01:00", newYork))
        .isEqualTo(Instant.parse("2026-12-08T14:00:00Z"));
    // 02:30 does not exist on 8 March 2026 in New York: the clocks jump to 03:00.
    assertThat(LeadCallbacks.read("2026-03-08T02:30", newYork))
        .isEqualTo(Instant.parse("2026-03-08T07:30:00Z"));
    assertThatThrownBy(() -> LeadCallbacks.read("tomorrow at three", newYork))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2026-12-08T15:00");
    assertThatThrownBy(() -> LeadCallbacks.read(" ", newYork)).hasMessageContaining("is required");
  }

  @Test
  void aCallbackIsDialledBeyondTheAttemptCapOnceWithItsSummaryInThePrompt() {
    LeadCallback dialing =
        new LeadCallback(
            LeadCallback.State.DIALING,
            "2026-06-11T15:00",
            "America/New_York",
            DUE,
            DUE,
            "2026-06-11T15:00",
            false,
            "wants the evening slot",
            LeadCallback.Source.TOOL,
            null,
            null,
            NOW,
            null,
            null);
    Lead lead = lead(3, dialing);
    assertThat(lead.attemptCap(3)).isEqualTo(4);
    assertThat(lead.promptVariables())
        .containsEntry("previous_call_summary", "wants the evening slot")
        .containsEntry("first_name", "Ann");
    // Not the callback's dial (a retry, or a callback already placed): the campaign's cap, and no
    // summary.
    Lead placed =
        lead(
            3,
            new LeadCallback(
                LeadCallback.State.PLACED,
                dialing.requestedFor(),
                dialing.timeZone(),
                DUE,
                DUE,
                dialing.dueLocal(),
                false,
                dialing.summary(),
                LeadCallback.Source.TOOL,
                null,
                null,
                NOW,
                null,
                null));
    assertThat(placed.attemptCap(3)).isEqualTo(3);
    assertThat(placed.promptVariables()).doesNotContainKey("previous_call_summary");
  }

  private static Lead lead(int attempts, LeadCallback callback) {
    return new Lead(
        java.util.UUID.randomUUID(),
        java.util.UUID.randomUUID(),
        "+12125550100",
        "Ann",
        null,
        "America/New_York",
        java.util.List.of(),
        null,
        null,
        java.util.Map.of(),
        LeadStatus.DIALING,
        null,
        attempts,
        null,
        null,
        null,
        null,
        NOW,
        NOW,
        callback);
  }
}
