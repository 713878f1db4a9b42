package io.parley.shared;

import java.util.Arrays;
import java.util.Collection;

/**
 * Masks provider secrets (API keys) in text that will be logged or shown: a provider may echo the
 * key it was sent in an error message. Only values long enough to be secrets are masked, and only
 * where they stand as a whole token: a one-character key must not turn "SocketException" into
 * "Soc****etException", nor may a key hide inside a longer word.
 */
public final class SecretScrubber {

  /** Shorter values are not secrets worth masking (and would mangle ordinary words). */
  public static final int MIN_SECRET_LENGTH = 8;

  /** What replaces each occurrence. */
  public static final String MASK = "****";

  private SecretScrubber() {}

  /** {@code text} with every whole-token occurrence of each secret replaced by {@link #MASK}. */
  public static String scrub(String text, String... secrets) {
    return scrub(text, Arrays.asList(secrets));
  }

  /** {@code text} with every whole-token occurrence of each secret replaced by {@link #MASK}. */
  public static String scrub(String text, Collection<String> secrets) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String secret : secrets) {
      if (secret != null && secret.length() >= MIN_SECRET_LENGTH) {
        out = mask(out, secret);
      }
    }
    return out;
  }

  private static String mask(String text, String secret) {
    int at = text.indexOf(secret);
    if (at < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int copied = 0;
    while (at >= 0) {
      int end = at + secret.length();
      if (wholeToken(text, at, end, secret)) {
        out.append(text, copied, at).append(MASK);
        copied = end;
        at = text.indexOf(secret, end);
      } else {
        at = text.indexOf(secret, at + 1);
      }
    }
    return out.append(text, copied, text.length()).toString();
  }

  /**
   * True unless the occurrence continues a word on either side: a secret that starts (ends) with a
   * letter or digit must not be preceded (followed) by one.
   */
  private static boolean wholeToken(String text, int start, int end, String secret) {
    boolean joinedBefore =
        start > 0
            && Character.isLetterOrDigit(secret.charAt(0))
            && Character.isLetterOrDigit(text.charAt(start - 1));
    boolean joinedAfter =
        end < text.length()
            && Character.isLetterOrDigit(secret.charAt(secret.length() - 1))
            && Character.isLetterOrDigit(text.charAt(end));
    return !joinedBefore && !joinedAfter;
  }
}
