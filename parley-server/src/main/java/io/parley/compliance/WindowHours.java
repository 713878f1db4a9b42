package io.parley.compliance;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Daily calling hours in the callee's local time: from {@code start} (inclusive) to {@code end}
 * (exclusive), within one day.
 */
public record WindowHours(LocalTime start, LocalTime end) {

  private static final Pattern FORMAT =
      Pattern.compile("(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2})");

  public WindowHours {
    if (start == null || end == null || !start.isBefore(end)) {
      throw new IllegalArgumentException(
          "the calling window must start before it ends on the same day (got "
              + start
              + "-"
              + end
              + ")");
    }
  }

  /**
   * Reads {@code HH:mm-HH:mm} such as {@code 08:00-21:00}.
   *
   * @throws IllegalArgumentException with a message that says what is wrong and what is expected
   */
  public static WindowHours parse(String text) {
    String expected =
        "PARLEY_CALLING_WINDOW must look like 08:00-21:00 (24-hour local times, start before"
            + " end, both on the same day); got '"
            + text
            + "'";
    if (text == null) {
      throw new IllegalArgumentException(expected);
    }
    Matcher matcher = FORMAT.matcher(text.strip());
    if (!matcher.matches()) {
      throw new IllegalArgumentException(expected);
    }
    try {
      LocalTime start = LocalTime.parse(pad(matcher.group(1)));
      LocalTime end = LocalTime.parse(pad(matcher.group(2)));
      if (!start.isBefore(end)) {
        throw new IllegalArgumentException(expected);
      }
      return new WindowHours(start, end);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(expected, e);
    }
  }

  boolean contains(LocalTime time) {
    return !time.isBefore(start) && time.isBefore(end);
  }

  @Override
  public String toString() {
    return start + "-" + end;
  }

  private static String pad(String time) {
    return time.length() == 4 ? "0" + time : time;
  }
}
