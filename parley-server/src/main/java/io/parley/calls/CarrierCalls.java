package io.parley.calls;

import java.time.Instant;
import java.util.List;

/**
 * The carrier's own list of calls that are not over, which {@code GET /api/calls/live?reconcile=
 * true} compares with the records. Defined here and implemented by the module that talks to Twilio,
 * because that module depends on this one (not the other way round).
 */
public interface CarrierCalls {

  /** The most calls of each status asked for: a check lists at most this many. */
  int LIMIT = 1000;

  /**
   * The carrier's queued, ringing and in-progress calls. Fails with a Spring {@code
   * ErrorResponseException} (rendered as its problem detail) when the carrier is not configured or
   * cannot be reached.
   */
  List<CarrierCall> unfinished();

  /**
   * A call the carrier has not finished.
   *
   * @param status in Parley's terms ({@code queued}, {@code ringing}, {@code in_progress})
   * @param startTime when it was answered, or null
   */
  record CarrierCall(
      String callSid, CallStatus status, String from, String to, Instant startTime) {}
}
