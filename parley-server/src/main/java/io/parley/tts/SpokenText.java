package io.parley.tts;

/**
 * Maps spoken characters back onto the text that was sent. Alignment lists the characters the audio
 * says; counting only the non-blank ones keeps the mapping right whatever the provider does with
 * spaces.
 */
final class SpokenText {
  private final StringBuilder sent = new StringBuilder();
  private int spokenNonBlank;

  void sent(String text) {
    sent.append(text);
  }

  /** Counts the characters of one audio chunk's alignment. */
  void spoke(TtsEvent.Alignment alignment) {
    for (String c : alignment.chars()) {
      if (!c.isBlank()) {
        spokenNonBlank += c.length();
      }
    }
  }

  /** How many characters of the sent text are spoken: through the last spoken one and its blank. */
  int spokenChars() {
    int remaining = spokenNonBlank;
    int at = 0;
    while (at < sent.length() && remaining > 0) {
      if (!Character.isWhitespace(sent.charAt(at))) {
        remaining--;
      }
      at++;
    }
    while (at < sent.length() && Character.isWhitespace(sent.charAt(at))) {
      at++;
    }
    return at;
  }

  /**
   * The start of the word holding {@code offset} in {@code text}: text resent after a failure
   * starts with a whole word rather than the tail of one.
   */
  static int wordStart(CharSequence text, int offset) {
    int at = Math.min(offset, text.length());
    while (at > 0
        && at < text.length()
        && !Character.isWhitespace(text.charAt(at))
        && !Character.isWhitespace(text.charAt(at - 1))) {
      at--;
    }
    return at;
  }
}
