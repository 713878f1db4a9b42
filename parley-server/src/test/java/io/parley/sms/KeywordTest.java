package io.parley.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeywordTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "STOP",
        "stop",
        " Stop ",
        "Stop!",
        "stop.",
        "STOPALL",
        "unsubscribe",
        "Cancel",
        "END",
        "quit",
        "REVOKE",
        "optout",
        "OPT OUT",
        "opt  out",
        "Opt\tOut"
      })
  void theOptOutWordsAloneAreAnOptOut(String body) {
    assertThat(Keyword.of(body)).contains(Keyword.OPT_OUT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"START", "start", "Unstop", " START. "})
  void startAndUnstopAreAnOptIn(String body) {
    assertThat(Keyword.of(body)).contains(Keyword.OPT_IN);
  }

  @ParameterizedTest
  @ValueSource(strings = {"HELP", "help", "Help!"})
  void helpIsHelp(String body) {
    assertThat(Keyword.of(body)).contains(Keyword.HELP);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "please stop",
        "STOP texting me",
        "stop?",
        "s t o p",
        "STOPP",
        "YES",
        "INFO",
        "optout now",
        "OPT-OUT",
        "st0p"
      })
  void anythingElseIsAText(String body) {
    assertThat(Keyword.of(body)).isEmpty();
  }
}
