package io.parley.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

  private static List<CsvReader.Row> rows(Reader in) throws Exception {
    CsvReader reader = new CsvReader(in);
    List<CsvReader.Row> rows = new ArrayList<>();
    for (CsvReader.Row row = reader.next(); row != null; row = reader.next()) {
      rows.add(row);
    }
    return rows;
  }

  private static List<CsvReader.Row> rows(String text) throws Exception {
    return rows(new StringReader(text));
  }

  /** Hands the text over one character per read, as a slow network would. */
  private static Reader trickle(String text) {
    return new Reader() {
      private int next;

      @Override
      public int read(char[] buffer, int offset, int length) {
        if (next == text.length()) {
          return -1;
        }
        buffer[offset] = text.charAt(next++);
        return 1;
      }

      @Override
      public void close() {}
    };
  }

  @Test
  void readsCommaSeparatedRecordsWithTheLineEachStartsOn() throws Exception {
    assertThat(rows("phone,first_name\n+14155550123,Ada\r\n+14155550124,Grace\n"))
        .containsExactly(
            new CsvReader.Row(1, List.of("phone", "first_name")),
            new CsvReader.Row(2, List.of("+14155550123", "Ada")),
            new CsvReader.Row(3, List.of("+14155550124", "Grace")));
  }

  @Test
  void choosesTheSemicolonWhenTheHeaderUsesIt() throws Exception {
    CsvReader reader = new CsvReader(new StringReader("phone;note\n+14155550123;\"a, b\"\n"));
    assertThat(reader.next().fields()).containsExactly("phone", "note");
    assertThat(reader.separator()).isEqualTo(';');
    assertThat(reader.next().fields()).containsExactly("+14155550123", "a, b");
  }

  @Test
  void choosesTheSeparatorFromAHeaderThatArrivesInPieces() throws Exception {
    List<CsvReader.Row> rows = rows(trickle("phone;first_name;city\n+14155550123;Ada;Paris\n"));
    assertThat(rows.get(1).fields()).containsExactly("+14155550123", "Ada", "Paris");
  }

  @Test
  void quotedFieldsHoldSeparatorsLineBreaksAndDoubledQuotes() throws Exception {
    List<CsvReader.Row> rows =
        rows("phone,note\n+14155550123,\"line one\nline \"\"two\"\", end\"\n+14155550124,x\n");
    assertThat(rows.get(1).fields()).containsExactly("+14155550123", "line one\nline \"two\", end");
    assertThat(rows.get(2).line()).isEqualTo(4);
  }

  @Test
  void skipsAByteOrderMarkAndBlankLinesAndReadsALastLineWithoutABreak() throws Exception {
    assertThat(rows("\uFEFFphone\n\n+14155550123\n   \n+14155550124"))
        .extracting(CsvReader.Row::fields)
        .containsExactly(List.of("phone"), List.of("+14155550123"), List.of("+14155550124"));
  }

  @Test
  void aQuoteInsideAnUnquotedFieldIsText() throws Exception {
    assertThat(rows("name\n5\" tall\n").get(1).fields()).containsExactly("5\" tall");
  }

  @Test
  void refusesAQuoteThatIsNeverClosedNamingTheLineItOpensOn() {
    assertThatThrownBy(() -> rows("phone,note\n+14155550123,ok\n+14155550124,\"open\nmore\n"))
        .isInstanceOf(CsvReader.MalformedCsvException.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("never closed");
  }

  @Test
  void refusesTextGluedToAClosingQuote() {
    assertThatThrownBy(() -> rows("phone\n\"+1415\"5550123\n"))
        .isInstanceOf(CsvReader.MalformedCsvException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("after a closing quote");
  }

  @Test
  void refusesBinaryText() {
    assertThatThrownBy(() -> rows("PK\u0003\u0004\u0000\u0000\u0008"))
        .isInstanceOf(CsvReader.MalformedCsvException.class)
        .hasMessageContaining("not a text file");
  }

  @Test
  void refusesARecordLongerThanTheLimitWithoutReadingOn() throws IOException {
    String huge = "phone\n\"" + "x".repeat(CsvReader.MAX_RECORD_CHARS + 10) + "\"\n";
    assertThatThrownBy(() -> rows(huge))
        .isInstanceOf(CsvReader.MalformedCsvException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("longer than");
    String unquoted = "phone\n" + "y".repeat(CsvReader.MAX_RECORD_CHARS + 1) + "\n";
    assertThatThrownBy(() -> rows(unquoted))
        .isInstanceOf(CsvReader.MalformedCsvException.class)
        .hasMessageContaining("longer than");
  }

  @Test
  void anEmptyStreamHasNoRecords() throws Exception {
    assertThat(rows("")).isEmpty();
    assertThat(rows("\uFEFF\n\n")).isEmpty();
  }
}
