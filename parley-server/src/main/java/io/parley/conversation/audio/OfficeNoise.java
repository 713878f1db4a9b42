package io.parley.conversation.audio;

import java.util.Random;

/**
 * The recipe of {@link Ambience#office()}: a room-tone bed of filtered pink noise with a slow level
 * drift, a few faint bursts of murmur (noise in a voice band, swelling and fading at a syllable
 * rhythm) and a few runs of distant keyboard clicks.
 *
 * <p>Everything comes from one fixed seed, {@link java.util.Random} (whose algorithm the JDK
 * specifies) and {@link StrictMath}, so every JVM builds the same loop, sample for sample.
 */
final class OfficeNoise {

  static final int SAMPLE_RATE = 8000;
  static final int LOOP_SAMPLES = 16 * SAMPLE_RATE;
  // The loop is generated this much longer; the extra tail is faded into the head so it loops.
  static final int CROSSFADE_SAMPLES = SAMPLE_RATE / 2;
  static final double RMS_DBFS = -33.0;

  private static final long SEED = 0x0FF1CEL;
  // Filters settle on noise that is thrown away before the loop starts.
  private static final int PRE_ROLL = 2 * SAMPLE_RATE;
  private static final int MURMURS = 5;
  private static final int TYPING_RUNS = 4;

  private OfficeNoise() {}

  static short[] generate() {
    Random random = new Random(SEED);
    int total = LOOP_SAMPLES + CROSSFADE_SAMPLES;
    double[] mix = bed(random, total);
    for (int i = 0; i < MURMURS; i++) {
      addMurmur(mix, random);
    }
    for (int i = 0; i < TYPING_RUNS; i++) {
      addTyping(mix, random);
    }
    return toPcm(crossfade(mix), RMS_DBFS);
  }

  /** Pink noise, band-limited to 100–1800 Hz (dark, like air handling), unit RMS, drifting. */
  private static double[] bed(Random random, int length) {
    Biquad highPass = Biquad.highPass(100, 0.707);
    Biquad lowPass = Biquad.lowPass(1800, 0.707);
    Pink pink = new Pink();
    double[] bed = new double[length];
    for (int i = -PRE_ROLL; i < length; i++) {
      double sample = lowPass.apply(highPass.apply(pink.next(random.nextGaussian())));
      if (i >= 0) {
        bed[i] = sample;
      }
    }
    scaleToUnitRms(bed);
    // Periodic in the loop length, so the tail that is faded into the head has the head's level.
    double phase1 = random.nextDouble() * 2 * Math.PI;
    double phase3 = random.nextDouble() * 2 * Math.PI;
    for (int i = 0; i < length; i++) {
      double turn = 2 * Math.PI * i / LOOP_SAMPLES;
      bed[i] *= 1 + 0.25 * StrictMath.sin(turn + phase1) + 0.12 * StrictMath.sin(3 * turn + phase3);
    }
    return bed;
  }

  /** A distant voice: noise through a formant-like band, swelling at a syllable rhythm. */
  private static void addMurmur(double[] mix, Random random) {
    int length = (int) (SAMPLE_RATE * (1.2 + 1.8 * random.nextDouble()));
    int start = eventStart(random, length);
    double centre = 400 + 500 * random.nextDouble();
    Biquad first = Biquad.bandPass(centre, 3);
    Biquad second = Biquad.bandPass(centre * 2.3, 4);
    double syllable = 3 + 2 * random.nextDouble();
    double phrase = 1 + random.nextDouble();
    double phase = random.nextDouble() * 2 * Math.PI;
    int fade = SAMPLE_RATE * 3 / 10;
    double level = 0.35 + 0.25 * random.nextDouble();
    double[] voice = new double[length];
    for (int i = 0; i < length; i++) {
      double noise = random.nextGaussian();
      voice[i] = first.apply(noise) + 0.5 * second.apply(noise);
    }
    scaleToUnitRms(voice);
    for (int i = 0; i < length; i++) {
      double t = (double) i / SAMPLE_RATE;
      double rhythm =
          0.5
              + 0.35 * StrictMath.sin(2 * Math.PI * syllable * t + phase)
              + 0.15 * StrictMath.sin(2 * Math.PI * phrase * t);
      double envelope = raisedCosine(i, length, fade);
      mix[start + i] += level * envelope * Math.max(0, rhythm) * voice[i];
    }
  }

  /** A run of keystrokes: short decaying clicks of band-passed noise, some with a key-up echo. */
  private static void addTyping(double[] mix, Random random) {
    int keys = 5 + random.nextInt(10);
    int clickLength = SAMPLE_RATE / 50;
    int[] at = new int[keys];
    int offset = 0;
    for (int k = 0; k < keys; k++) {
      at[k] = offset;
      offset += (int) (SAMPLE_RATE * (0.10 + 0.16 * random.nextDouble()));
    }
    // The pause after the last key (at least 100 ms) has room for its key-up echo.
    int start = eventStart(random, offset + clickLength);
    for (int k = 0; k < keys; k++) {
      double amplitude = 1.4 + 1.2 * random.nextDouble();
      double tone = 1800 + 1200 * random.nextDouble();
      addClick(mix, random, start + at[k], clickLength, amplitude, tone);
      if (random.nextInt(3) == 0) {
        int release = (int) (SAMPLE_RATE * (0.03 + 0.03 * random.nextDouble()));
        addClick(mix, random, start + at[k] + release, clickLength, amplitude * 0.5, tone * 0.8);
      }
    }
  }

  private static void addClick(
      double[] mix, Random random, int start, int length, double amplitude, double tone) {
    Biquad band = Biquad.bandPass(tone, 1.5);
    // About 2.5 ms of decay, after a 1 ms onset so the click is soft rather than a step.
    double decay = SAMPLE_RATE * 0.0025;
    int onset = SAMPLE_RATE / 1000;
    for (int i = 0; i < length; i++) {
      double envelope = StrictMath.exp(-i / decay) * Math.min(1.0, (i + 1.0) / onset);
      mix[start + i] += amplitude * envelope * band.apply(random.nextGaussian());
    }
  }

  /** Events stay clear of both crossfade regions, so none is ever heard at half strength. */
  private static int eventStart(Random random, int length) {
    int latest = LOOP_SAMPLES - CROSSFADE_SAMPLES - length;
    return CROSSFADE_SAMPLES + random.nextInt(latest - CROSSFADE_SAMPLES);
  }

  private static double raisedCosine(int i, int length, int fade) {
    int edge = Math.min(i, length - 1 - i);
    return edge >= fade ? 1 : 0.5 - 0.5 * StrictMath.cos(Math.PI * edge / fade);
  }

  /**
   * Folds the extra tail over the head with an equal-power fade: the last sample of the loop is
   * followed by (almost exactly) the sample that was generated after it, so the seam is seamless,
   * and the level of uncorrelated noise holds steady through the fade.
   */
  private static double[] crossfade(double[] mix) {
    double[] loop = new double[LOOP_SAMPLES];
    System.arraycopy(mix, 0, loop, 0, LOOP_SAMPLES);
    for (int i = 0; i < CROSSFADE_SAMPLES; i++) {
      double angle = Math.PI / 2 * (i + 0.5) / CROSSFADE_SAMPLES;
      loop[i] = mix[i] * StrictMath.sin(angle) + mix[LOOP_SAMPLES + i] * StrictMath.cos(angle);
    }
    return loop;
  }

  private static short[] toPcm(double[] loop, double rmsDbfs) {
    double target = 32768 * StrictMath.pow(10, rmsDbfs / 20);
    double scale = target / rms(loop);
    short[] pcm = new short[loop.length];
    for (int i = 0; i < loop.length; i++) {
      long value = Math.round(loop[i] * scale);
      pcm[i] = (short) Math.clamp(value, Short.MIN_VALUE, Short.MAX_VALUE);
    }
    return pcm;
  }

  private static void scaleToUnitRms(double[] signal) {
    double scale = 1 / rms(signal);
    for (int i = 0; i < signal.length; i++) {
      signal[i] *= scale;
    }
  }

  private static double rms(double[] signal) {
    double sum = 0;
    for (double sample : signal) {
      sum += sample * sample;
    }
    return StrictMath.sqrt(sum / signal.length);
  }

  /** Paul Kellett's pink-noise filter: white noise through a bank of leaky integrators. */
  private static final class Pink {
    private double b0;
    private double b1;
    private double b2;
    private double b3;
    private double b4;
    private double b5;
    private double b6;

    double next(double white) {
      b0 = 0.99886 * b0 + white * 0.0555179;
      b1 = 0.99332 * b1 + white * 0.0750759;
      b2 = 0.96900 * b2 + white * 0.1538520;
      b3 = 0.86650 * b3 + white * 0.3104856;
      b4 = 0.55000 * b4 + white * 0.5329522;
      b5 = -0.7616 * b5 - white * 0.0168980;
      double pink = b0 + b1 + b2 + b3 + b4 + b5 + b6 + white * 0.5362;
      b6 = white * 0.115926;
      return pink;
    }
  }

  /** A second-order filter from the Audio EQ Cookbook (R. Bristow-Johnson), direct form I. */
  private static final class Biquad {
    private final double b0;
    private final double b1;
    private final double b2;
    private final double a1;
    private final double a2;
    private double x1;
    private double x2;
    private double y1;
    private double y2;

    private Biquad(double b0, double b1, double b2, double a0, double a1, double a2) {
      this.b0 = b0 / a0;
      this.b1 = b1 / a0;
      this.b2 = b2 / a0;
      this.a1 = a1 / a0;
      this.a2 = a2 / a0;
    }

    static Biquad lowPass(double hz, double q) {
      double w = 2 * Math.PI * hz / SAMPLE_RATE;
      double cos = StrictMath.cos(w);
      double alpha = StrictMath.sin(w) / (2 * q);
      return new Biquad((1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
    }

    static Biquad highPass(double hz, double q) {
      double w = 2 * Math.PI * hz / SAMPLE_RATE;
      double cos = StrictMath.cos(w);
      double alpha = StrictMath.sin(w) / (2 * q);
      return new Biquad((1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
    }

    /** Band-pass with 0 dB gain at the centre. */
    static Biquad bandPass(double hz, double q) {
      double w = 2 * Math.PI * hz / SAMPLE_RATE;
      double cos = StrictMath.cos(w);
      double alpha = StrictMath.sin(w) / (2 * q);
      return new Biquad(alpha, 0, -alpha, 1 + alpha, -2 * cos, 1 - alpha);
    }

    double apply(double x) {
      double y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
      x2 = x1;
      x1 = x;
      y2 = y1;
      y1 = y;
      return y;
    }
  }
}
