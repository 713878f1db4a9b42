package io.parley.conversation.audio;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MulawTest {

  @Test
  void matchesG711ReferenceValues() {
    // Values from the ITU-T G.711 reference (cross-checked with CPython's audioop): silence is
    // 0xFF.
    assertThat(Mulaw.encode((short) 0)).isEqualTo((byte) 0xFF);
    assertThat(Mulaw.decode((byte) 0xFF)).isEqualTo((short) 0);
    assertThat(Mulaw.decode((byte) 0x7F)).isEqualTo((short) 0);
    assertThat(Mulaw.decode((byte) 0x80)).isEqualTo((short) 32124);
    assertThat(Mulaw.decode((byte) 0x00)).isEqualTo((short) -32124);
    assertThat(Mulaw.encode(Short.MAX_VALUE)).isEqualTo((byte) 0x80);
    assertThat(Mulaw.encode(Short.MIN_VALUE)).isEqualTo((byte) 0x00);
    assertThat(Mulaw.encode((short) 1000)).isEqualTo((byte) 0xCE);
    assertThat(Mulaw.encode((short) -1000)).isEqualTo((byte) 0x4E);
    assertThat(Mulaw.encode((short) 12345)).isEqualTo((byte) 0x97);
    assertThat(Mulaw.encode((short) -5)).isEqualTo((byte) 0x7E);
    assertThat(Mulaw.decode((byte) 0xCE)).isEqualTo((short) 988);
  }

  @Test
  void everyCodeSurvivesDecodeThenEncode() {
    for (int code = 0; code < 256; code++) {
      byte mulaw = (byte) code;
      byte again = Mulaw.encode(Mulaw.decode(mulaw));
      // 0x7F is μ-law's "negative zero": it decodes to 0, which encodes as 0xFF.
      assertThat(again).as("code %02x", code).isEqualTo(code == 0x7F ? (byte) 0xFF : mulaw);
    }
  }

  @Test
  void quantisationErrorStaysWithinHalfAStepOfTheLogScale() {
    for (int linear = -32000; linear <= 32000; linear += 7) {
      short decoded = Mulaw.decode(Mulaw.encode((short) linear));
      int step = Math.max(8, Math.abs(linear) / 16);
      assertThat(Math.abs(decoded - linear)).as("sample %d", linear).isLessThanOrEqualTo(step);
    }
  }
}
