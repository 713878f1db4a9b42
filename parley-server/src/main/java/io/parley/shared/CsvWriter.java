package io.parley.shared;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes CSV for people to open in a spreadsheet, one row at a time (an export of any length is
 * never held whole): RFC 4180 (comma-separated, CRLF, a field in double quotes when it holds a
 * comma, a quote or a line break, quotes doubled inside) and safe to open: a cell that starts with
 * {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return is prefixed with {@code '}
 * so that no spreadsheet runs it as a formula (CSV injection: {@code =HYPERLINK(...)} in a lead's
 * name would otherwise become a link in a supervisor's sheet). A phone number such as {@code
 * +14155550123} is therefore written {@code '+14155550123}; Parley's lead import reads it back as
 * the same number.
 */
public final class CsvWriter {

  private final Writer out;

  public CsvWriter(Writer out) {
    this.out = out;
  }

  /** Writes one row; a null cell is written empty. */
  public CsvWriter row(List<String> cells) {
    try {
      for (int i = 0; i < cells.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        out.write(cell(cells.get(i)));
      }
      out.write("\r\n");
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes one row; a null cell is written empty. */
  public CsvWriter row(String... cells) {
    return row(java.util.Arrays.asList(cells));
  }

  public void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One cell as written: neutralised, then quoted when it needs quotes. */
  static String cell(String value) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    String safe = startsLikeAFormula(value) ? "'" + value : value;
    boolean quote = false;
    for (int i = 0; i < safe.length() && !quote; i++) {
      char c = safe.charAt(i);
      quote = c == ',' || c == '"' || c == '\n' || c == '\r';
    }
    return quote ? '"' + safe.replace("\"", "\"\"") + '"' : safe;
  }

  private static boolean startsLikeAFormula(String value) {
    char first = value.charAt(0);
    return first == '='
        || first == '+'
        || first == '-'
        || first == '@'
        || first == '\t'
        || first == '\r';
  }
}
