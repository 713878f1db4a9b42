package io.parley.dialing;

import io.parley.compliance.GateDecision;
import java.time.Instant;
import java.util.UUID;

/** What became of one lead dial. */
public sealed interface LeadDialResult {

  /** Twilio took the call; its record is {@code callId}. */
  record Placed(UUID callId) implements LeadDialResult {}

  /** The compliance gate refused: nothing was dialled and no attempt was written. */
  record Refused(GateDecision.Refused refusal) implements LeadDialResult {}

  /**
   * Not dialled for a passing reason of this node or the account (capacity, overload, Twilio's
   * rate): no attempt was written; the lead goes back to the pool.
   */
  record NotNow(String reason) implements LeadDialResult {}

  /**
   * Cannot be dialled until someone fixes the campaign (no agent, no number, no prompt, Twilio not
   * configured): nothing was dialled.
   */
  record Misconfigured(String reason) implements LeadDialResult {}

  /** Something about this lead stops the dial (its values do not fit the prompt): hold it. */
  record Unusable(String reason) implements LeadDialResult {}

  /**
   * The attempt was written and Twilio refused or failed it; the record {@code callId} is closed as
   * failed.
   *
   * @param invalidNumber Twilio says the number cannot be called at all (final for the lead)
   * @param retryAfter when Twilio asked for a pause (429), until when; else null
   */
  record Failed(UUID callId, boolean invalidNumber, Instant retryAfter, String reason)
      implements LeadDialResult {}
}
