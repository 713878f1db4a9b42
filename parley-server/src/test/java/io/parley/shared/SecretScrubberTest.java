package io.parley.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretScrubberTest {

  private static final String KEY = "sk-4e1d77a0c8f2";

  @Test
  void aKeyStandingAsATokenIsMaskedWhereverItAppears() {
    assertThat(SecretScrubber.scrub("Token " + KEY + " refused; retry with " + KEY + ".", KEY))
        .isEqualTo("Token **** refused; retry with ****.");
    assertThat(SecretScrubber.scrub("wss://x/listen?key=" + KEY + "&model=nova", KEY))
        .isEqualTo("wss://x/listen?key=****&model=nova");
    assertThat(SecretScrubber.scrub("\"" + KEY + "\"", KEY)).isEqualTo("\"****\"");
  }

  @Test
  void shortValuesAreNotSecretsAndOrdinaryWordsSurvive() {
    assertThat(SecretScrubber.scrub("SocketException: Connection reset", "k", "on", "Socket1"))
        .isEqualTo("SocketException: Connection reset");
  }

  @Test
  void aKeyInsideALongerWordIsLeftAlone() {
    String key = "abcdefgh";
    assertThat(SecretScrubber.scrub("xabcdefgh abcdefghx abcdefgh", key))
        .isEqualTo("xabcdefgh abcdefghx ****");
    // A key that starts and ends with punctuation has its own edges.
    assertThat(SecretScrubber.scrub("a-secret-valu-b", "-secret-valu-")).isEqualTo("a****b");
  }

  @Test
  void everySecretIsMaskedAndNothingBreaksOnMissingValues() {
    assertThat(SecretScrubber.scrub("one 11111111 two 22222222", List.of("11111111", "22222222")))
        .isEqualTo("one **** two ****");
    assertThat(SecretScrubber.scrub(null, KEY)).isNull();
    assertThat(SecretScrubber.scrub("no secrets here", (String) null)).isEqualTo("no secrets here");
  }
}
