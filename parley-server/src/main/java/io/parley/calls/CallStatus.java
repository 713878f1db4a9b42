package io.parley.calls;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/**
 * The carrier's view of a call, in the order a call moves through it. The rank is what makes status
 * updates monotonic: an update applies only when its rank is higher than the stored one, so every
 * terminal status (same, highest rank) is final and the first one to arrive wins.
 */
public enum CallStatus {
  QUEUED(0),
  INITIATED(1),
  RINGING(2),
  IN_PROGRESS(3),
  COMPLETED(4),
  BUSY(4),
  NO_ANSWER(4),
  FAILED(4),
  CANCELED(4);

  private final int rank;

  CallStatus(int rank) {
    this.rank = rank;
  }

  public int rank() {
    return rank;
  }

  public boolean terminal() {
    return rank == COMPLETED.rank;
  }

  /**
   * The call never connected to anyone: nobody else will dispose it, so the carrier result does.
   */
  boolean unanswered() {
    return terminal() && this != COMPLETED;
  }

  /** The JSON and database spelling: {@code in_progress}, {@code no_answer}. */
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads Parley's spelling ({@code no_answer}); empty for anything else. */
  public static Optional<CallStatus> parse(String text) {
    for (CallStatus status : values()) {
      if (status.wire().equals(text)) {
        return Optional.of(status);
      }
    }
    return Optional.empty();
  }

  /**
   * Reads Twilio's {@code CallStatus} parameter ({@code in-progress}, {@code no-answer}, ...);
   * empty for a value Twilio does not document.
   */
  public static Optional<CallStatus> fromTwilio(String text) {
    return text == null ? Optional.empty() : parse(text.replace('-', '_'));
  }
}
