package io.parley.compliance;

import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 reader: comma-separated fields, records ended by LF or CRLF, fields optionally
 * in double quotes (which may hold commas, line breaks and doubled quotes). A quote inside an
 * unquoted field is kept as text, as spreadsheets write it. Blank lines are skipped.
 */
final class CsvRecords {

  /** One record and the line of the file it starts on (line 1 is the first line). */
  record Record(int line, List<String> fields) {}

  /** The text is not CSV: an unterminated quote or text glued to a closing quote. */
  static final class MalformedCsvException extends Exception {
    MalformedCsvException(int line, String message) {
      super("line " + line + ": " + message);
    }
  }

  private CsvRecords() {}

  static List<Record> parse(String text) throws MalformedCsvException {
    List<Record> records = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int line = 1;
    int recordLine = 1;
    int i = 0;
    int length = text.length();
    while (i < length) {
      char c = text.charAt(i);
      if (c == '"' && field.isEmpty()) {
        int quoteLine = line;
        i++;
        boolean closed = false;
        while (i < length) {
          char q = text.charAt(i);
          if (q == '"') {
            if (i + 1 < length && text.charAt(i + 1) == '"') {
              field.append('"');
              i += 2;
              continue;
            }
            closed = true;
            i++;
            break;
          }
          if (q == '\n') {
            line++;
          }
          field.append(q);
          i++;
        }
        if (!closed) {
          throw new MalformedCsvException(quoteLine, "a quoted field is never closed");
        }
        if (i < length && !isEnd(text, i)) {
          throw new MalformedCsvException(
              line, "unexpected text after a closing quote (write a quote inside quotes as \"\")");
        }
        continue;
      }
      if (c == ',') {
        fields.add(value(field));
        field.setLength(0);
        i++;
        continue;
      }
      if (c == '\r' && i + 1 < length && text.charAt(i + 1) == '\n') {
        i++;
        continue;
      }
      if (c == '\n') {
        fields.add(value(field));
        field.setLength(0);
        addUnlessBlank(records, recordLine, fields);
        fields = new ArrayList<>();
        line++;
        recordLine = line;
        i++;
        continue;
      }
      field.append(c);
      i++;
    }
    if (!field.isEmpty() || !fields.isEmpty()) {
      fields.add(value(field));
      addUnlessBlank(records, recordLine, fields);
    }
    return records;
  }

  private static boolean isEnd(String text, int i) {
    char c = text.charAt(i);
    return c == ','
        || c == '\n'
        || (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n');
  }

  private static String value(StringBuilder field) {
    return field.toString();
  }

  private static void addUnlessBlank(List<Record> records, int line, List<String> fields) {
    if (fields.size() == 1 && fields.getFirst().isBlank()) {
      return;
    }
    records.add(new Record(line, List.copyOf(fields)));
  }
}
