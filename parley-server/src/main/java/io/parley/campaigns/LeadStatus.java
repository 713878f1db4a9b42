package io.parley.campaigns;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** Where a lead stands in its campaign. */
public enum LeadStatus {
  /** Waiting to be dialled. */
  PENDING,
  /** Claimed by a dispatcher, or its call is in progress. */
  DIALING,
  /** Waiting for its next attempt ({@code next_attempt_at}). */
  RETRY_AT,
  /** Waiting for the callback its callee or an operator booked (due at {@code next_attempt_at}). */
  CALLBACK,
  /** Finished with a final outcome. */
  DONE,
  /** Not dialled until someone fixes it (e.g. no time zone is known for it). */
  HELD,
  /** The number is on a do-not-call list. */
  DNC,
  /** Every attempt allowed was used. */
  EXHAUSTED;

  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static LeadStatus fromWire(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }

  static Optional<LeadStatus> parse(String text) {
    for (LeadStatus status : values()) {
      if (status.wire().equals(text)) {
        return Optional.of(status);
      }
    }
    return Optional.empty();
  }
}
