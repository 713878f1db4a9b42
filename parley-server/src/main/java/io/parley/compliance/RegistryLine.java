package io.parley.compliance;

/**
 * Reads one line of a registry file. Two layouts are accepted, line by line:
 *
 * <ul>
 *   <li>the National Do Not Call Registry's flat file: the area code and the 7-digit number
 *       separated by a comma, {@code 201,5550123};
 *   <li>one number per line: 10 digits ({@code 2015550123}, as state lists such as Tennessee's are
 *       published and as the FTC describes its flat file), 11 starting with 1 ({@code 12015550123})
 *       or E.164 ({@code +12015550123}); spaces, dashes, dots and brackets between the digits are
 *       ignored ({@code (201) 555-0123}).
 * </ul>
 *
 * Parsing works on the characters directly: a national file has tens of millions of lines.
 */
final class RegistryLine {

  private RegistryLine() {}

  /** A North American number split as the tables store it. */
  record Number(int areaCode, int localNumber) {}

  /**
   * The number on a line.
   *
   * @return the number, or null when the line is not one (the caller reports it)
   */
  static Number parse(CharSequence line) {
    int length = line.length();
    int comma = -1;
    for (int i = 0; i < length; i++) {
      if (line.charAt(i) == ',') {
        if (comma >= 0) {
          return null;
        }
        comma = i;
      }
    }
    if (comma >= 0) {
      long area = digits(line, 0, comma, 3);
      long local = digits(line, comma + 1, length, 7);
      return area < 0 || local < 0 ? null : valid((int) area, (int) local);
    }
    int start = 0;
    while (start < length && Character.isWhitespace(line.charAt(start))) {
      start++;
    }
    boolean plus = start < length && line.charAt(start) == '+';
    long value = 0;
    int count = 0;
    for (int i = plus ? start + 1 : start; i < length; i++) {
      char c = line.charAt(i);
      if (c >= '0' && c <= '9') {
        if (++count > 11) {
          return null;
        }
        value = value * 10 + (c - '0');
      } else if (!separator(c)) {
        return null;
      }
    }
    if (count == 11 && value / 10_000_000_000L == 1) {
      value -= 10_000_000_000L;
    } else if (count != 10 || plus) {
      return null;
    }
    return valid((int) (value / 10_000_000L), (int) (value % 10_000_000L));
  }

  // A NANP number: area code and exchange both start with 2-9.
  private static Number valid(int area, int local) {
    if (area < AreaCodes.FIRST || area > AreaCodes.LAST || local < 2_000_000) {
      return null;
    }
    return new Number(area, local);
  }

  // The digits between from and to (blanks around them allowed) as a number, if exactly `wanted`.
  private static long digits(CharSequence text, int from, int to, int wanted) {
    while (from < to && Character.isWhitespace(text.charAt(from))) {
      from++;
    }
    while (to > from && Character.isWhitespace(text.charAt(to - 1))) {
      to--;
    }
    if (to - from != wanted) {
      return -1;
    }
    long value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean separator(char c) {
    return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '\t';
  }
}
