package io.parley.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.compliance.CsvRecords.MalformedCsvException;
import io.parley.compliance.CsvRecords.Record;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvRecordsTest {

  @Test
  void readsPlainRecordsWithTheirLineNumbers() throws Exception {
    assertThat(CsvRecords.parse("phone_number,reason\n+14155550123,asked\r\n+14155550124,\n"))
        .containsExactly(
            new Record(1, List.of("phone_number", "reason")),
            new Record(2, List.of("+14155550123", "asked")),
            new Record(3, List.of("+14155550124", "")));
  }

  @Test
  void quotedFieldsHoldCommasQuotesAndLineBreaks() throws Exception {
    List<Record> records =
        CsvRecords.parse("a,b\n\"+1 415, ext\",\"said \"\"stop\"\"\nthen hung up\"\nx,y");

    assertThat(records)
        .containsExactly(
            new Record(1, List.of("a", "b")),
            new Record(2, List.of("+1 415, ext", "said \"stop\"\nthen hung up")),
            new Record(4, List.of("x", "y")));
  }

  @Test
  void skipsBlankLinesButKeepsCountingThem() throws Exception {
    assertThat(CsvRecords.parse("h\n\n\r\nv\n\n"))
        .containsExactly(new Record(1, List.of("h")), new Record(4, List.of("v")));
  }

  @Test
  void aQuoteInsideAnUnquotedFieldIsText() throws Exception {
    assertThat(CsvRecords.parse("a,say \"no\""))
        .containsExactly(new Record(1, List.of("a", "say \"no\"")));
  }

  @Test
  void refusesAnUnclosedQuoteNamingTheLineItStarts() {
    assertThatThrownBy(() -> CsvRecords.parse("h\nv\n\"+1415,\nmore"))
        .isInstanceOf(MalformedCsvException.class)
        .hasMessage("line 3: a quoted field is never closed");
  }

  @Test
  void refusesTextGluedToAClosingQuote() {
    assertThatThrownBy(() -> CsvRecords.parse("h\n\"+1415\"x,y"))
        .isInstanceOf(MalformedCsvException.class)
        .hasMessageStartingWith("line 2: unexpected text after a closing quote");
  }

  @Test
  void emptyTextHasNoRecords() throws Exception {
    assertThat(CsvRecords.parse("")).isEmpty();
    assertThat(CsvRecords.parse("\n\n")).isEmpty();
  }
}
