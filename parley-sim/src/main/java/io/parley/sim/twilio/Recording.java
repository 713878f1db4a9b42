package io.parley.sim.twilio;

import java.time.Instant;

/**
 * A call recording; mutable status lives in the carrier's map, this is one snapshot of it. {@code
 * channels} is 1 (both parties mixed, Twilio's default) or 2 (asked for with {@code
 * RecordingChannels=dual}: one party per channel).
 */
public record Recording(
    String sid,
    String callSid,
    String source,
    Instant started,
    long startMillis,
    long endMillis,
    String status,
    String statusCallback,
    String statusCallbackMethod,
    int channels) {

  long durationSeconds() {
    return endMillis < 0 ? 0 : Math.max(0, (endMillis - startMillis) / 1000);
  }

  Recording completed(long atMillis) {
    return new Recording(
        sid,
        callSid,
        source,
        started,
        startMillis,
        atMillis,
        "completed",
        statusCallback,
        statusCallbackMethod,
        channels);
  }
}
