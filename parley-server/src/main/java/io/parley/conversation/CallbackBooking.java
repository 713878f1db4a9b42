package io.parley.conversation;

import java.util.UUID;

/**
 * Books a callback for the campaign lead a call is talking to: what the {@code schedule_callback}
 * tool needs. The conversation engine defines it and campaigns implements it, so the engine never
 * depends on campaigns (as telephony's {@code CallStreams} is implemented here).
 */
public interface CallbackBooking {

  /**
   * Books (or re-books) the callback of the lead this call is calling. Never throws for a request
   * it cannot honour: the reason comes back as {@link Outcome.Refused}, for the model to read.
   *
   * @param callId the call in progress
   * @param at the local date-time asked for, in the lead's zone ({@code 2026-12-08T15:00}), or with
   *     an offset or {@code Z}
   * @param summary what was discussed and what to follow up
   */
  Outcome book(UUID organisationId, UUID callId, String at, String summary);

  /** What became of a booking. */
  sealed interface Outcome {

    /**
     * Booked.
     *
     * @param requestedFor the local date-time asked for ({@code 2026-12-08T15:00})
     * @param dueLocal the local date-time it will be made: the same, or the next time the calling
     *     rules allow
     * @param timeZone the IANA zone both are in
     */
    record Booked(String requestedFor, String dueLocal, String timeZone) implements Outcome {

      /** Whether the time asked for was outside the calling rules and the callback moved. */
      public boolean moved() {
        return !requestedFor.equals(dueLocal);
      }
    }

    /** Not booked, and why, in words the model can pass on. */
    record Refused(String reason) implements Outcome {}
  }
}
