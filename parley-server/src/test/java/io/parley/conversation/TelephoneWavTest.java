package io.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.conversation.audio.Mulaw;
import io.parley.shared.InvalidInputException;
import io.parley.support.Wavs;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Uploaded WAV files read into what a call plays, and every other file refused with a reason. */
class TelephoneWavTest {

  private static byte[] wav(
      int format, int channels, int rate, int bits, byte[] data, boolean extraChunk) {
    return Wavs.of(format, channels, rate, bits, data, extraChunk);
  }

  @Test
  void mulawIsTakenAsItIsAndPcmIsEncoded() {
    byte[] mulaw = {0x10, 0x20, 0x7f, (byte) 0xff};
    assertThat(TelephoneWav.toMulaw(wav(7, 1, 8000, 8, mulaw, true), "body")).isEqualTo(mulaw);

    short[] samples = {0, 1000, -1000, 32000};
    ByteBuffer pcm = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    for (short sample : samples) {
      pcm.putShort(sample);
    }
    byte[] expected = new byte[samples.length];
    for (int i = 0; i < samples.length; i++) {
      expected[i] = Mulaw.encode(samples[i]);
    }
    assertThat(TelephoneWav.toMulaw(wav(1, 1, 8000, 16, pcm.array(), false), "body"))
        .isEqualTo(expected);
  }

  @Test
  void anythingButEightKilohertzMonoIsRefusedWithWhatItIs() {
    byte[] data = new byte[16];
    assertThatThrownBy(() -> TelephoneWav.toMulaw(wav(1, 1, 16000, 16, data, false), "body"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("16000 Hz");
    assertThatThrownBy(() -> TelephoneWav.toMulaw(wav(1, 2, 8000, 16, data, false), "body"))
        .hasMessageContaining("2 channel");
    assertThatThrownBy(() -> TelephoneWav.toMulaw(wav(3, 1, 8000, 32, data, false), "body"))
        .hasMessageContaining("format 3");
    assertThatThrownBy(() -> TelephoneWav.toMulaw(wav(7, 1, 8000, 8, new byte[0], false), "body"))
        .hasMessageContaining("no audio");
  }

  @Test
  void brokenFilesAreRefusedNotReadPastTheirEnd() {
    assertThatThrownBy(() -> TelephoneWav.toMulaw("not a wav file at all".getBytes(), "body"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("RIFF");
    byte[] whole = wav(7, 1, 8000, 8, new byte[100], false);
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 50);
    assertThatThrownBy(() -> TelephoneWav.toMulaw(cut, "body")).hasMessageContaining("cut short");
    byte[] header = java.util.Arrays.copyOf(whole, 12);
    assertThatThrownBy(() -> TelephoneWav.toMulaw(header, "body"))
        .hasMessageContaining("no data chunk");
    assertThatThrownBy(() -> TelephoneWav.toMulaw(new byte[0], "body"))
        .hasMessageContaining("RIFF");
  }
}
