package io.parley.agents;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumbersTest {

  @ParameterizedTest
  @ValueSource(strings = {"+14155550123", "+919876543210", "+442071838750"})
  void acceptsValidNumbersInE164Form(String number) {
    assertThat(PhoneNumbers.isE164(number)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "4155550123",
        "+1 415 555 0123",
        "+1-415-555-0123",
        "+10000000000",
        "+1415555012345678",
        "+abc",
        "",
        "+"
      })
  void rejectsAnythingElse(String number) {
    assertThat(PhoneNumbers.isE164(number)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"sip:support@pbx.example.com", "sips:desk@10.0.0.5:5061", "sip:pbx.example.com"})
  void acceptsSipUris(String uri) {
    assertThat(PhoneNumbers.isSipUri(uri)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sip:", "http://pbx.example.com", "sip:a b@host", "support@pbx"})
  void rejectsOtherAddresses(String uri) {
    assertThat(PhoneNumbers.isSipUri(uri)).isFalse();
  }
}
