package io.parley.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class CsvWriterTest {

  private static String write(String... cells) {
    StringWriter out = new StringWriter();
    new CsvWriter(out).row(cells);
    return out.toString();
  }

  @Test
  void writesPlainCellsAsTheyAreWithCrlf() {
    assertThat(write("Ada", "Lovelace", "42")).isEqualTo("Ada,Lovelace,42\r\n");
  }

  @Test
  void quotesCellsWithCommasQuotesAndLineBreaks() {
    assertThat(write("a, b", "say \"hi\"", "two\nlines", "cr\rhere"))
        .isEqualTo("\"a, b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\"\r\n");
  }

  @Test
  void nullsAndEmptyCellsAreEmpty() {
    assertThat(write(null, "", "x")).isEqualTo(",,x\r\n");
  }

  @Test
  void cellsThatASpreadsheetWouldRunAsFormulasArePrefixed() {
    assertThat(write("=HYPERLINK(\"http://evil\",\"x\")"))
        .isEqualTo("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"\r\n");
    assertThat(write("+14155550123", "-2+3", "@SUM(A1)", "\tx"))
        .isEqualTo("'+14155550123,'-2+3,'@SUM(A1),'\tx\r\n");
    assertThat(write("a=1", "1+1")).isEqualTo("a=1,1+1\r\n");
  }
}
