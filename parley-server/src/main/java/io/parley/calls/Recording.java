package io.parley.calls;

import io.parley.shared.InvalidInputException;

/**
 * A finished recording of a call, from Twilio's recording status callback.
 *
 * @param sid Twilio's RecordingSid
 * @param url where Twilio serves it
 * @param durationSeconds its length, or null when unknown
 */
public record Recording(String sid, String url, Integer durationSeconds) {

  public Recording {
    if (sid == null || !NewCall.CALL_SID.matcher(sid).matches()) {
      throw new InvalidInputException("recordingSid", "must be 1 to 64 letters and digits");
    }
    if (url == null || url.isBlank() || url.length() > 1000) {
      throw new InvalidInputException("recordingUrl", "is required, at most 1000 characters");
    }
    if (durationSeconds != null && durationSeconds < 0) {
      throw new InvalidInputException("recordingDuration", "must be 0 or more");
    }
  }
}
