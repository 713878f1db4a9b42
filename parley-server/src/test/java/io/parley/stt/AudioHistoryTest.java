package io.parley.stt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AudioHistoryTest {

  @Test
  void keepsTheLatestBytesAcrossTheWrapAround() {
    AudioHistory history = new AudioHistory(10);
    history.append(bytes(0, 6));
    history.append(bytes(6, 6));

    assertThat(history.end()).isEqualTo(12);
    assertThat(history.start()).isEqualTo(2);
    assertThat(history.copyFrom(0)).isEqualTo(bytes(2, 10));
    assertThat(history.copyFrom(7)).isEqualTo(bytes(7, 5));
    assertThat(history.copyFrom(12)).isEmpty();
    assertThat(history.copyFrom(99)).isEmpty();
  }

  @Test
  void aFrameLargerThanTheBufferKeepsItsTail() {
    AudioHistory history = new AudioHistory(4);
    history.append(bytes(0, 3));
    history.append(bytes(3, 9));

    assertThat(history.end()).isEqualTo(12);
    assertThat(history.copyFrom(0)).isEqualTo(bytes(8, 4));
  }

  private static byte[] bytes(int first, int count) {
    byte[] out = new byte[count];
    for (int i = 0; i < count; i++) {
      out[i] = (byte) (first + i);
    }
    return out;
  }
}
