package io.parley.tts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.sim.audio.Wav;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The WAV header defence: raw audio passes, μ-law WAV is unwrapped, other WAV refused. */
class WavGuardTest {

  private static byte[] audio(int n) {
    byte[] a = new byte[n];
    for (int i = 0; i < n; i++) {
      a[i] = (byte) (0x80 + i % 50);
    }
    return a;
  }

  /** Feeds the stream in pieces of {@code step} bytes. */
  private static byte[] feed(byte[] stream, int step) throws WavGuard.RefusedAudio {
    WavGuard guard = new WavGuard();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int at = 0; at < stream.length; at += step) {
      out.writeBytes(
          guard.accept(Arrays.copyOfRange(stream, at, Math.min(stream.length, at + step))));
    }
    out.writeBytes(guard.finish());
    return out.toByteArray();
  }

  @Test
  void rawAudioPassesUnchanged() throws Exception {
    byte[] raw = audio(4000);
    assertThat(feed(raw, 1600)).isEqualTo(raw);
    assertThat(feed(raw, 3)).isEqualTo(raw);
  }

  @Test
  void rawAudioThatHappensToStartWithRIsKept() throws Exception {
    byte[] raw = "RIFFy but not a wave file".getBytes(StandardCharsets.US_ASCII);
    assertThat(feed(raw, 5)).isEqualTo(raw);
    byte[] tiny = "RIF".getBytes(StandardCharsets.US_ASCII);
    assertThat(feed(tiny, 1)).isEqualTo(tiny);
  }

  @Test
  void aMulawWavIsUnwrappedWhateverTheChunking() throws Exception {
    byte[] raw = audio(3000);
    byte[] wav = Wav.mulaw(raw);
    assertThat(Wav.looksLikeWav(wav)).isTrue();

    for (int step : new int[] {1, 7, 44, 58, 1600, wav.length}) {
      byte[] out = feed(wav, step);
      assertThat(out).as("step %d", step).isEqualTo(raw);
      assertThat(Wav.looksLikeWav(out)).isFalse();
    }
  }

  @Test
  void aWavOfAnotherFormatIsRefused() {
    ByteBuffer b = ByteBuffer.allocate(44 + 100).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 100);
    b.put("WAVE".getBytes(StandardCharsets.US_ASCII));
    b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16);
    b.putShort((short) 1).putShort((short) 1).putInt(16000).putInt(32000);
    b.putShort((short) 2).putShort((short) 16);
    b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(100);

    assertThatThrownBy(() -> feed(b.array(), 10))
        .isInstanceOf(WavGuard.RefusedAudio.class)
        .hasMessageContaining("16000 Hz");
  }
}
