package io.parley.compliance;

import io.parley.shared.InvalidInputException;
import java.util.BitSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * A set of North American area codes (NPA: three digits, the first 2 to 9), written as ranges:
 * {@code 201-299,305,786}. A registry copy's coverage is one; so is the text the API answers with,
 * always sorted and merged ({@code 305,201-299} reads back as {@code 201-299,305}).
 */
record AreaCodes(BitSet codes) {

  static final int FIRST = 200;
  static final int LAST = 999;
  private static final Pattern PART = Pattern.compile("\\s*(\\d{3})\\s*(?:-\\s*(\\d{3})\\s*)?");
  private static final int MAX_TEXT = 4000;

  AreaCodes {
    codes = (BitSet) codes.clone();
  }

  /**
   * Reads ranges such as {@code 201-299,305}.
   *
   * @throws InvalidInputException naming {@code field} for anything else: a code outside 200-999, a
   *     range that runs backwards, text that is not a code, an empty list
   */
  static AreaCodes parse(String text, String field) {
    if (text == null || text.isBlank()) {
      throw new InvalidInputException(
          field, "is required: the area codes the file covers, e.g. 201-299,305,786");
    }
    if (text.length() > MAX_TEXT) {
      throw new InvalidInputException(field, "is longer than " + MAX_TEXT + " characters");
    }
    BitSet codes = new BitSet(LAST + 1);
    for (String part : text.split(",", -1)) {
      Matcher m = PART.matcher(part);
      if (!m.matches()) {
        throw new InvalidInputException(
            field,
            "must be area codes or ranges of them separated by commas (e.g. 201-299,305); '"
                + shorten(part.strip())
                + "' is not one");
      }
      int from = Integer.parseInt(m.group(1));
      int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
      if (from < FIRST || to < FIRST) {
        throw new InvalidInputException(
            field,
            "has "
                + (from < FIRST ? from : to)
                + ", not a North American area code (they run from 200 to 999)");
      }
      if (to < from) {
        throw new InvalidInputException(
            field, "has the range " + from + "-" + to + ", which runs backwards");
      }
      codes.set(from, to + 1);
    }
    return new AreaCodes(codes);
  }

  static AreaCodes of(IntStream codes) {
    BitSet set = new BitSet(LAST + 1);
    codes.forEach(set::set);
    return new AreaCodes(set);
  }

  boolean contains(int code) {
    return code >= 0 && codes.get(code);
  }

  int size() {
    return codes.cardinality();
  }

  IntStream stream() {
    return codes.stream();
  }

  /** The codes as sorted, merged ranges: {@code 201-299,305}. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    int from = codes.nextSetBit(0);
    while (from >= 0) {
      int to = codes.nextClearBit(from) - 1;
      if (!text.isEmpty()) {
        text.append(',');
      }
      text.append(from);
      if (to > from) {
        text.append('-').append(to);
      }
      from = codes.nextSetBit(to + 1);
    }
    return text.toString();
  }

  private static String shorten(String text) {
    return text.length() <= 20 ? text : text.substring(0, 20) + "…";
  }
}
