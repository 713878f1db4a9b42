package io.parley.calls;

import io.parley.shared.InvalidInputException;

/**
 * A finalised piece of the transcript. For the agent this is only what the caller heard; a reply
 * cut short by barge-in is stored with {@code interrupted} set.
 *
 * @param role who spoke (or the tool/system line)
 * @param text the words, in any language
 * @param startMs offset from the start of the media stream, or null
 * @param endMs offset of the end, or null
 * @param interrupted whether the caller cut the agent off
 */
public record NewSegment(
    SegmentRole role, String text, Long startMs, Long endMs, boolean interrupted) {

  static final int MAX_TEXT = 20_000;

  public NewSegment {
    if (role == null) {
      throw new InvalidInputException("role", "is required");
    }
    if (text == null || text.isBlank()) {
      throw new InvalidInputException("text", "is required");
    }
    if (text.length() > MAX_TEXT) {
      throw new InvalidInputException("text", "must be at most " + MAX_TEXT + " characters");
    }
    if (startMs != null && startMs < 0) {
      throw new InvalidInputException("startMs", "must be 0 or more");
    }
    if (endMs != null && (endMs < 0 || startMs != null && endMs < startMs)) {
      throw new InvalidInputException("endMs", "must be 0 or more and not before startMs");
    }
  }

  public static NewSegment of(SegmentRole role, String text) {
    return new NewSegment(role, text, null, null, false);
  }
}
