package io.parley.calls;

import java.io.InputStream;

/**
 * The media of a call recording, fetched from the carrier with the account's credentials (which
 * never reach the browser). Defined here and implemented by the module that talks to Twilio,
 * because that module depends on this one (not the other way round).
 */
public interface RecordingAudio {

  /** The media type of what {@link #open} returns. */
  String CONTENT_TYPE = "audio/wav";

  /**
   * Opens the recording's media, asking the carrier for one byte range when {@code range} (an HTTP
   * {@code Range} value such as {@code bytes=0-}, already checked to be one byte range) is not
   * null. Fails with a Spring {@code ErrorResponseException} (rendered as its problem detail): 404
   * when the carrier no longer has the recording, 503 when the carrier is not configured, 502 when
   * it refuses or cannot be reached.
   */
  Media open(String recordingSid, String range);

  /**
   * Deletes the recording at the carrier. Returns normally when it is gone (also when it was gone
   * already); fails like {@link #open}, 503 or 502, when that cannot be said.
   */
  void delete(String recordingSid);

  /**
   * The carrier's answer, to pass on to the browser.
   *
   * @param status 200 (the whole file), 206 (the range asked for) or 416 (a range past the end)
   * @param contentLength bytes in {@code body}, or -1 when the carrier did not say
   * @param contentRange the carrier's {@code Content-Range} (for 206 and 416), or null
   * @param body the bytes; the caller closes it
   */
  record Media(int status, long contentLength, String contentRange, InputStream body) {}
}
