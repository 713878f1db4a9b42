package io.parley.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {

  @Test
  void lineBreaksCannotStartAForgedLine() {
    String forged = "ringing\r\n2026-12-06T12:00:00Z ERROR 1 --- [main] Admin password is 1234";
    assertThat(LogSafe.text(forged))
        .isEqualTo("ringing\\r\\n2026-12-06T12:00:00Z ERROR 1 --- [main] Admin password is 1234")
        .doesNotContain("\r")
        .doesNotContain("\n");
  }

  @Test
  void otherControlAndFormatCharactersAreEscapedToo() {
    assertThat(LogSafe.text("a\tb\u0000c\u001bd\u0085e\u2028f\u202eg"))
        .isEqualTo("a\\tb\\u0000c\\u001bd\\u0085e\\u2028f\\u202eg");
  }

  @Test
  void ordinaryTextIsUnchangedAndLongTextIsCut() {
    assertThat(LogSafe.text("+14155550123 नमस्ते \"quoted\""))
        .isEqualTo("+14155550123 नमस्ते \"quoted\"");
    assertThat(LogSafe.text(null)).isEqualTo("null");
    assertThat(LogSafe.text(42)).isEqualTo("42");
    assertThat(LogSafe.text("x".repeat(1000)))
        .isEqualTo("x".repeat(LogSafe.MAX_LENGTH) + "...(700 more characters)");
  }
}
