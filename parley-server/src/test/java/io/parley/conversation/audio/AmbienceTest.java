package io.parley.conversation.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AmbienceTest {

  private final Ambience office = Ambience.office();

  @Test
  void officeLoopIsSixteenSecondsAtMinusThirtyThreeDbfs() {
    assertThat(office.length()).isEqualTo(16 * Ambience.SAMPLE_RATE);
    double sum = 0;
    int peak = 0;
    for (int i = 0; i < office.length(); i++) {
      sum += (double) office.sample(i) * office.sample(i);
      peak = Math.max(peak, Math.abs(office.sample(i)));
    }
    assertThat(dbfs(Math.sqrt(sum / office.length()))).isBetween(-33.1, -32.9);
    // Keyboard clicks are the loudest moments, and still far below speech peaks.
    assertThat(dbfs(peak)).isLessThan(-15.0);
  }

  @Test
  void generationIsDeterministic() {
    short[] again = OfficeNoise.generate();
    for (int i = 0; i < office.length(); i++) {
      assertThat(again[i]).as("sample %d", i).isEqualTo(office.sample(i));
    }
  }

  @Test
  void loopHasNoDiscontinuityAtItsSeam() {
    int length = office.length();
    int[] steps = new int[length];
    for (int i = 0; i < length; i++) {
      steps[i] = Math.abs(office.sample(i + 1) - office.sample(i));
    }
    int seam = steps[length - 1];
    int[] sorted = steps.clone();
    Arrays.sort(sorted);
    int p99 = sorted[length * 99 / 100];
    assertThat(seam).isLessThanOrEqualTo(p99);
    // Neither is there a jump in level: 50 ms either side of the seam sound alike.
    int window = Ambience.SAMPLE_RATE / 20;
    double before = rmsOf(length - window, length);
    double after = rmsOf(0, window);
    assertThat(Math.abs(dbfs(before) - dbfs(after))).isLessThan(3.0);
  }

  @Test
  void cursorsWithDifferentSeedsReadDifferentAudio() {
    Ambience.Cursor first = office.cursor(new Random(1));
    Ambience.Cursor second = office.cursor(new Random(2));
    assertThat(first.position()).isNotEqualTo(second.position());
    short[] a = new short[160];
    short[] b = new short[160];
    for (int i = 0; i < 160; i++) {
      a[i] = first.next();
      b[i] = second.next();
    }
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void cursorWrapsRoundTheLoop() {
    Ambience.Cursor cursor = office.cursor(new Random(3));
    int start = cursor.position();
    for (int i = 0; i < office.length(); i++) {
      assertThat(cursor.next()).isEqualTo(office.sample(start + i));
    }
    assertThat(cursor.position()).isEqualTo(start);
    assertThat(cursor.ambience()).isSameAs(office);
  }

  @Test
  void officeIsShared() {
    assertThat(Ambience.office()).isSameAs(office);
    assertThatThrownBy(() -> office.cursor(null)).isInstanceOf(NullPointerException.class);
  }

  private double rmsOf(int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) {
      sum += (double) office.sample(i) * office.sample(i);
    }
    return Math.sqrt(sum / (to - from));
  }

  static double dbfs(double level) {
    return 20 * Math.log10(level / 32768);
  }
}
