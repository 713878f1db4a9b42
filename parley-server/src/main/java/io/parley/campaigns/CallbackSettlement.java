package io.parley.campaigns;

import java.time.Instant;

/**
 * A lead's settlement when it has a callback pending: the attempt's own settlement (the retry
 * policy's, or the gate's refusal) merged with the callback.
 *
 * <ul>
 *   <li>A callback booked during the call that just ended (or during a claim the gate refused)
 *       takes the lead: it waits in {@code callback} until the callback is due, and the settlement
 *       it would have had is kept as its prior status (cancelling the callback returns it there).
 *       The attempt's outcome is recorded all the same.
 *   <li>The dial of a callback that the gate refused for a while (outside the window, the
 *       per-number cap, a failed check) moves the callback to the gate's next allowed time, keeping
 *       the time asked for.
 *   <li>A lead that can no longer be called (do-not-call, held, attempts used) or whose campaign
 *       was cancelled drops its callback.
 * </ul>
 *
 * @param lead the lead's settlement
 * @param state the callback's new state
 * @param dueAt when the callback is due (for {@code scheduled}), else the value it had
 * @param prior the settlement to keep as the lead's prior status, or null to keep the one it has
 * @param note why the callback moved or was dropped, or null to keep the one it has
 */
record CallbackSettlement(
    LeadSettlement lead,
    LeadCallback.State state,
    Instant dueAt,
    LeadSettlement prior,
    String note) {

  /**
   * Merges a settlement with the lead's pending callback.
   *
   * @param state the callback's state: {@code scheduled} (booked, not yet claimed for its dial) or
   *     {@code dialing} (this claim was its dial)
   * @param dueAt when the callback is due
   * @param dueLocal the same in the lead's zone, for the lead's status reason
   * @param campaignCancelled whether the campaign was cancelled meanwhile
   */
  static CallbackSettlement merge(
      LeadSettlement settlement,
      LeadCallback.State state,
      Instant dueAt,
      String dueLocal,
      boolean campaignCancelled) {
    LeadStatus status = settlement.status();
    boolean unreachable = status == LeadStatus.DNC || status == LeadStatus.HELD;
    if (state == LeadCallback.State.SCHEDULED) {
      if (campaignCancelled || unreachable) {
        return dropped(settlement, dueAt, campaignCancelled);
      }
      return new CallbackSettlement(
          new LeadSettlement(
              LeadStatus.CALLBACK,
              settlement.lastOutcome(),
              "callback booked for " + dueLocal,
              dueAt),
          LeadCallback.State.SCHEDULED,
          dueAt,
          settlement,
          null);
    }
    // The callback's own dial, refused by the gate (an attempt that was placed made it "placed").
    if (!campaignCancelled && status == LeadStatus.RETRY_AT && settlement.nextAttemptAt() != null) {
      String why = settlement.reason() == null ? "it could not be dialled" : settlement.reason();
      return new CallbackSettlement(
          new LeadSettlement(
              LeadStatus.CALLBACK,
              settlement.lastOutcome(),
              "callback moved: " + why,
              settlement.nextAttemptAt()),
          LeadCallback.State.SCHEDULED,
          settlement.nextAttemptAt(),
          null,
          "moved: " + why);
    }
    return dropped(settlement, dueAt, campaignCancelled);
  }

  private static CallbackSettlement dropped(
      LeadSettlement settlement, Instant dueAt, boolean campaignCancelled) {
    String why =
        campaignCancelled
            ? "the campaign was cancelled"
            : settlement.reason() != null
                ? settlement.reason()
                : "the lead is " + settlement.status().wire();
    return new CallbackSettlement(
        settlement, LeadCallback.State.CANCELLED, dueAt, null, "not placed: " + why);
  }
}
