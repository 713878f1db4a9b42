package io.parley.campaigns;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV records one at a time from a stream, so a file of any length is never held whole:
 * fields separated by a comma or a semicolon (the separator is chosen from the header line, as
 * spreadsheets in comma-decimal locales write semicolons), records ended by LF or CRLF, fields
 * optionally in double quotes (which may hold separators, line breaks and doubled quotes). A
 * byte-order mark is skipped and blank lines are ignored.
 *
 * <p>What cannot be read past is refused for the whole file, with its line: a quote never closed
 * (it would swallow every record after it), text glued to a closing quote, a record longer than
 * {@link #MAX_RECORD_CHARS}, or a NUL character (a binary file, not text).
 */
final class CsvReader {

  /** Longest record accepted, in characters: a lead row is a few hundred. */
  static final int MAX_RECORD_CHARS = 64 * 1024;

  /** One record and the line of the file it starts on (line 1 is the header). */
  record Row(int line, List<String> fields) {}

  /** The stream is not CSV that can be read on. */
  static final class MalformedCsvException extends Exception {
    MalformedCsvException(int line, String message) {
      super("line " + line + ": " + message);
    }
  }

  private static final int END = -1;

  private final Reader in;
  private final char[] buffer = new char[8192];
  private int position;
  private int limit;
  private int line = 1;
  private char separator;
  private boolean started;
  private final StringBuilder field = new StringBuilder();

  CsvReader(Reader in) {
    this.in = in;
  }

  /** The separator in use: known once the first record has been read. */
  char separator() {
    return separator;
  }

  /** The next non-blank record, or null at the end of the stream. */
  Row next() throws IOException, MalformedCsvException {
    if (!started) {
      start();
    }
    while (true) {
      if (peek() == END) {
        return null;
      }
      int recordLine = line;
      List<String> fields = readRecord(recordLine);
      if (fields.size() == 1 && fields.getFirst().isBlank()) {
        continue;
      }
      return new Row(recordLine, List.copyOf(fields));
    }
  }

  private void start() throws IOException, MalformedCsvException {
    started = true;
    if (peek() == '\uFEFF') {
      position++;
    }
    separator = chooseSeparator();
  }

  /**
   * Comma unless the header line holds more semicolons than commas outside quotes. Looks at the
   * header line as far as the first 8 KiB hold it, which is any sensible header.
   */
  private char chooseSeparator() throws IOException {
    bufferFirstLine();
    int commas = 0;
    int semicolons = 0;
    boolean quoted = false;
    for (int i = position; i < limit; i++) {
      char c = buffer[i];
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && (c == '\n' || c == '\r')) {
        break;
      } else if (!quoted && c == ',') {
        commas++;
      } else if (!quoted && c == ';') {
        semicolons++;
      }
    }
    return semicolons > commas ? ';' : ',';
  }

  private List<String> readRecord(int recordLine) throws IOException, MalformedCsvException {
    List<String> fields = new ArrayList<>();
    int length = 0;
    field.setLength(0);
    while (true) {
      int c = read();
      if (c == END) {
        fields.add(field.toString());
        return fields;
      }
      if (++length > MAX_RECORD_CHARS) {
        throw new MalformedCsvException(
            recordLine, "the record is longer than " + MAX_RECORD_CHARS + " characters");
      }
      if (c == 0) {
        throw new MalformedCsvException(line, "a NUL character: this is not a text file");
      }
      if (c == '"' && field.isEmpty()) {
        length += readQuoted(recordLine, length);
        int after = peek();
        if (after != END && after != separator && after != '\n' && after != '\r') {
          throw new MalformedCsvException(
              line, "unexpected text after a closing quote (write a quote inside quotes as \"\")");
        }
        continue;
      }
      if (c == separator) {
        fields.add(field.toString());
        field.setLength(0);
        continue;
      }
      if (c == '\r' && peek() == '\n') {
        continue;
      }
      if (c == '\n') {
        fields.add(field.toString());
        line++;
        return fields;
      }
      field.append((char) c);
    }
  }

  /** Reads a quoted field's text up to its closing quote; returns the characters consumed. */
  private int readQuoted(int recordLine, int lengthSoFar)
      throws IOException, MalformedCsvException {
    int quoteLine = line;
    int consumed = 0;
    while (true) {
      int c = read();
      consumed++;
      if (c == END) {
        throw new MalformedCsvException(quoteLine, "a quoted field is never closed");
      }
      if (lengthSoFar + consumed > MAX_RECORD_CHARS) {
        throw new MalformedCsvException(
            recordLine,
            "the record is longer than "
                + MAX_RECORD_CHARS
                + " characters (is a quoted field never closed?)");
      }
      if (c == 0) {
        throw new MalformedCsvException(line, "a NUL character: this is not a text file");
      }
      if (c == '"') {
        if (peek() == '"') {
          read();
          consumed++;
          field.append('"');
          continue;
        }
        return consumed;
      }
      if (c == '\n') {
        line++;
      }
      field.append((char) c);
    }
  }

  /** Reads on until the buffer holds a line break or is full (the stream may come in pieces). */
  private void bufferFirstLine() throws IOException {
    if (!fill()) {
      return;
    }
    while (limit < buffer.length && !holdsLineBreak()) {
      int read = in.read(buffer, limit, buffer.length - limit);
      if (read < 0) {
        return;
      }
      limit += read;
    }
  }

  private boolean holdsLineBreak() {
    for (int i = position; i < limit; i++) {
      if (buffer[i] == '\n') {
        return true;
      }
    }
    return false;
  }

  private int read() throws IOException {
    if (position == limit && !fill()) {
      return END;
    }
    return buffer[position++];
  }

  private int peek() throws IOException {
    if (position == limit && !fill()) {
      return END;
    }
    return buffer[position];
  }

  private boolean fill() throws IOException {
    if (position < limit) {
      return true;
    }
    int read = in.read(buffer, 0, buffer.length);
    while (read == 0) {
      read = in.read(buffer, 0, buffer.length);
    }
    if (read < 0) {
      position = limit = 0;
      return false;
    }
    position = 0;
    limit = read;
    return true;
  }
}
