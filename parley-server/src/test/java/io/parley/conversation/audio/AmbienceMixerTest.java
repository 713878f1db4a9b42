package io.parley.conversation.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AmbienceMixerTest {

  private static final int FRAME = 160;
  private static final byte SILENCE = (byte) 0xFF;

  private final Ambience office = Ambience.office();

  @Test
  void mixingIntoDigitalSilenceGivesTheAmbienceItself() {
    AmbienceMixer mixing = new AmbienceMixer(office.cursor(new Random(7)));
    AmbienceMixer alone = new AmbienceMixer(office.cursor(new Random(7)));
    Ambience.Cursor reference = office.cursor(new Random(7));
    for (int f = 0; f < 100; f++) {
      byte[] mixed = silentFrame();
      mixing.mixInto(mixed);
      byte[] ambience = new byte[FRAME];
      alone.silenceFrame(ambience);
      assertThat(mixed).as("frame %d", f).isEqualTo(ambience);
      for (int i = 0; i < FRAME; i++) {
        assertThat(ambience[i]).isEqualTo(Mulaw.encode(reference.next()));
      }
    }
  }

  @Test
  void mixingUnderALoudToneChangesItOnlySlightly() {
    AmbienceMixer mixer = new AmbienceMixer(office.cursor(new Random(11)));
    double toneEnergy = 0;
    double differenceEnergy = 0;
    int frames = office.length() / FRAME;
    for (int f = 0; f < frames; f++) {
      byte[] frame = new byte[FRAME];
      for (int i = 0; i < FRAME; i++) {
        // 1 kHz at -9 dBFS RMS, about as loud as TTS speech.
        double t = (double) (f * FRAME + i) / Ambience.SAMPLE_RATE;
        frame[i] = Mulaw.encode((short) Math.round(16000 * Math.sin(2 * Math.PI * 1000 * t)));
      }
      byte[] before = frame.clone();
      mixer.mixInto(frame);
      for (int i = 0; i < FRAME; i++) {
        double tone = Mulaw.decode(before[i]);
        double difference = Mulaw.decode(frame[i]) - tone;
        toneEnergy += tone * tone;
        differenceEnergy += difference * difference;
      }
    }
    double ratio = Math.sqrt(differenceEnergy / toneEnergy);
    // The ambience sits some 24 dB under the tone (ratio 0.06), plus μ-law's own rounding.
    assertThat(ratio).isGreaterThan(0.02).isLessThan(0.1);
  }

  @Test
  void clippingNeverWrapsRound() {
    AmbienceMixer mixer =
        new AmbienceMixer(office.cursor(new Random(13)), AmbienceMixer.MAX_GAIN_DB);
    byte[] loudest = new byte[FRAME];
    byte[] quietest = new byte[FRAME];
    boolean clipped = false;
    for (int f = 0; f < office.length() / FRAME; f++) {
      Arrays.fill(loudest, Mulaw.encode(Short.MAX_VALUE));
      Arrays.fill(quietest, Mulaw.encode(Short.MIN_VALUE));
      mixer.mixInto(loudest);
      mixer.mixInto(quietest);
      for (int i = 0; i < FRAME; i++) {
        assertThat(Mulaw.decode(loudest[i])).isGreaterThan((short) 16000);
        assertThat(Mulaw.decode(quietest[i])).isLessThan((short) -16000);
        clipped |= loudest[i] == Mulaw.encode(Short.MAX_VALUE);
      }
    }
    // The ambience did push full-scale samples past full scale, and they stayed there.
    assertThat(clipped).isTrue();
  }

  @Test
  void silenceFramesStayWithinTheDocumentedLevels() {
    AmbienceMixer mixer = new AmbienceMixer(office.cursor(new Random(17)));
    byte[] frame = new byte[FRAME];
    double total = 0;
    int frames = office.length() / FRAME;
    for (int f = 0; f < frames; f++) {
      mixer.silenceFrame(frame);
      double energy = energy(frame);
      total += energy;
      double frameDbfs = AmbienceTest.dbfs(Math.sqrt(energy / FRAME));
      assertThat(frameDbfs).as("frame %d", f).isBetween(-40.0, -27.0);
    }
    assertThat(AmbienceTest.dbfs(Math.sqrt(total / (frames * FRAME)))).isBetween(-35.0, -30.0);
  }

  @Test
  void gainScalesTheLevel() {
    AmbienceMixer plain = new AmbienceMixer(office.cursor(new Random(19)));
    AmbienceMixer quieter = new AmbienceMixer(office.cursor(new Random(19)), -12.0);
    double plainEnergy = 0;
    double quieterEnergy = 0;
    byte[] frame = new byte[FRAME];
    for (int f = 0; f < 200; f++) {
      plain.silenceFrame(frame);
      plainEnergy += energy(frame);
      quieter.silenceFrame(frame);
      quieterEnergy += energy(frame);
    }
    double drop = 10 * Math.log10(plainEnergy / quieterEnergy);
    assertThat(drop).isBetween(11.0, 13.0);
  }

  @Test
  void bothOperationsMoveTheCursorByTheFrameLength() {
    Ambience.Cursor cursor = office.cursor(new Random(23));
    int start = cursor.position();
    AmbienceMixer mixer = new AmbienceMixer(cursor);
    mixer.mixInto(silentFrame());
    assertThat(cursor.position()).isEqualTo((start + FRAME) % office.length());
    mixer.silenceFrame(new byte[FRAME]);
    assertThat(cursor.position()).isEqualTo((start + 2 * FRAME) % office.length());
  }

  @Test
  void refusesAGainOutOfRange() {
    Ambience.Cursor cursor = office.cursor(new Random(29));
    assertThatThrownBy(() -> new AmbienceMixer(cursor, 13.0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AmbienceMixer(cursor, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] silentFrame() {
    byte[] frame = new byte[FRAME];
    Arrays.fill(frame, SILENCE);
    return frame;
  }

  private static double energy(byte[] frame) {
    double sum = 0;
    for (byte code : frame) {
      double sample = Mulaw.decode(code);
      sum += sample * sample;
    }
    return sum;
  }
}
