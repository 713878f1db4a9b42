package io.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

  private final PasswordPolicy policy = new PasswordPolicy();
  private static final String EMAIL = "Priya.Sharma@example.com";

  @Test
  void acceptsALongPassphrase() {
    assertThat(policy.problem("tea at four on the balcony", EMAIL)).isEmpty();
    assertThat(policy.problem("चाय चार बजे बालकनी में", EMAIL)).isEmpty();
  }

  @Test
  void refusesShortLongAndEmpty() {
    assertThat(policy.problem("", EMAIL)).contains("must not be empty");
    assertThat(policy.problem(null, EMAIL)).contains("must not be empty");
    assertThat(policy.problem("elevenchars", EMAIL))
        .contains("must be at least 12 characters long");
    assertThat(policy.problem("a1b2c3d4e5f6".repeat(11), EMAIL))
        .contains("must be at most 128 characters long");
  }

  @Test
  void countsCharactersNotUtf16Units() {
    // Eleven emoji are 22 UTF-16 units but only 11 characters.
    assertThat(policy.problem("😀😁😂🤣😃😄😅😆😉😊😋", EMAIL)).isPresent();
  }

  @Test
  void refusesTheEmailNameCommonPasswordsAndRepetition() {
    assertThat(policy.problem("hello priya.sharma!!", EMAIL))
        .contains("must not contain the name part of your e-mail address");
    assertThat(policy.problem("Password1234", EMAIL)).get().asString().contains("too common");
    assertThat(policy.problem("QWERTYUIOP123", EMAIL)).get().asString().contains("too common");
    assertThat(policy.problem("abababababababab", EMAIL))
        .contains("needs more different characters");
    assertThat(policy.problem("            ", EMAIL)).contains("must not be only spaces");
  }
}
