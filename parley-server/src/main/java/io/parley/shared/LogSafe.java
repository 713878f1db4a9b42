package io.parley.shared;

/**
 * Text from outside (a webhook parameter, a media frame, a provider's error message) made safe to
 * put in a log line: control characters are escaped, so a value holding CR or LF cannot end the
 * line and forge an entry of its own, and an overlong value is cut. Use it for every such value
 * Parley logs: {@code log.warn("Ignored CallStatus {}", LogSafe.text(reported))}.
 */
public final class LogSafe {

  /** Characters of a value kept in the log; the rest is summarised. */
  public static final int MAX_LENGTH = 300;

  private LogSafe() {}

  /** {@code value} on one line: CR, LF, tab and every other control or format character escaped. */
  public static String text(Object value) {
    if (value == null) {
      return "null";
    }
    String text = value.toString();
    int length = Math.min(text.length(), MAX_LENGTH);
    StringBuilder out = null;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      String escaped = escape(c);
      if (escaped != null && out == null) {
        out = new StringBuilder(length + 16).append(text, 0, i);
      }
      if (out != null) {
        if (escaped == null) {
          out.append(c);
        } else {
          out.append(escaped);
        }
      }
    }
    String safe = out == null ? text.substring(0, length) : out.toString();
    return text.length() > MAX_LENGTH
        ? safe + "...(" + (text.length() - MAX_LENGTH) + " more characters)"
        : safe;
  }

  private static String escape(char c) {
    return switch (c) {
      case '\r' -> "\\r";
      case '\n' -> "\\n";
      case '\t' -> "\\t";
      default ->
          Character.isISOControl(c)
                  || Character.getType(c) == Character.FORMAT
                  || c == '\u2028'
                  || c == '\u2029'
              ? String.format("\\u%04x", (int) c)
              : null;
    };
  }
}
