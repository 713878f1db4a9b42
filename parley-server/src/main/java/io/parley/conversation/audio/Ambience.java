package io.parley.conversation.audio;

import java.util.Objects;
import java.util.Random;

/**
 * A loop of background ambience, linear 16-bit samples at 8 kHz, mixed under the agent's voice when
 * the agent has {@code backgroundAmbience} on, so the line never sounds dead.
 *
 * <p>Immutable and shared by every call; each call reads it through its own {@link Cursor}, which
 * starts at a random place so two calls never hiss in step.
 */
public final class Ambience {

  /** Samples per second. */
  public static final int SAMPLE_RATE = OfficeNoise.SAMPLE_RATE;

  private final short[] samples;

  private Ambience(short[] samples) {
    this.samples = samples;
  }

  /**
   * Office room tone, 16 s, -33 dBFS RMS: generated from a fixed seed on first use (about 0.2 s on
   * a cold JVM, so touch it at start-up), the same on every JVM, no asset files.
   */
  public static Ambience office() {
    return Office.INSTANCE;
  }

  /** The loop's length in samples. */
  public int length() {
    return samples.length;
  }

  /** The sample at {@code index}, wrapping around the loop. */
  public short sample(int index) {
    return samples[Math.floorMod(index, samples.length)];
  }

  /** A new reading position for one call, somewhere in the loop chosen by {@code random}. */
  public Cursor cursor(Random random) {
    Objects.requireNonNull(random, "random");
    return new Cursor(this, random.nextInt(samples.length));
  }

  /**
   * One call's position in the loop: owned by that call's thread, not thread-safe. It wraps round
   * forever.
   */
  public static final class Cursor {
    // Package-private so the mixer's per-sample loop reads the array directly.
    final short[] samples;
    int position;
    private final Ambience ambience;

    private Cursor(Ambience ambience, int position) {
      this.ambience = ambience;
      this.samples = ambience.samples;
      this.position = position;
    }

    /** The sample under the cursor, moving the cursor one sample on. */
    public short next() {
      short sample = samples[position];
      position = position + 1 == samples.length ? 0 : position + 1;
      return sample;
    }

    /** The index in the loop of the next sample. */
    public int position() {
      return position;
    }

    public Ambience ambience() {
      return ambience;
    }
  }

  // Holder idiom: the loop is generated once, lazily, and safely published by class initialisation.
  private static final class Office {
    static final Ambience INSTANCE = new Ambience(OfficeNoise.generate());
  }
}
