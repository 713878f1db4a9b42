package io.parley.conversation.audio;

import java.util.Objects;

/**
 * Mixes ambience into the agent's outbound μ-law frames, in place, and makes frames of ambience
 * alone for the silences between replies. Only used when the agent has {@code backgroundAmbience}
 * on: with it off, the TTS bytes go to Twilio untouched.
 *
 * <p>One per call, owned by the call's writer thread; not thread-safe. It allocates nothing after
 * construction. Each sample is a table lookup to decode, an add, a clip and a table lookup to
 * encode (see {@link Mulaw}), so a 256 × level mixing table would save nothing worth its memory.
 */
public final class AmbienceMixer {

  /** The ambience at the level it was generated at (-33 dBFS RMS for the office loop). */
  public static final double DEFAULT_GAIN_DB = 0.0;

  public static final double MIN_GAIN_DB = -60.0;
  public static final double MAX_GAIN_DB = 12.0;

  // Gain in fixed point, 1.0 = 1 << GAIN_SHIFT: integer maths on the call's thread.
  private static final int GAIN_SHIFT = 12;
  private static final int GAIN_ROUND = 1 << (GAIN_SHIFT - 1);

  private final Ambience.Cursor cursor;
  private final int gain;

  /** Mixes at {@link #DEFAULT_GAIN_DB}. */
  public AmbienceMixer(Ambience.Cursor cursor) {
    this(cursor, DEFAULT_GAIN_DB);
  }

  /**
   * @param gainDb added to the ambience's own level, from {@link #MIN_GAIN_DB} to {@link
   *     #MAX_GAIN_DB}
   */
  public AmbienceMixer(Ambience.Cursor cursor, double gainDb) {
    this.cursor = Objects.requireNonNull(cursor, "cursor");
    if (!(gainDb >= MIN_GAIN_DB && gainDb <= MAX_GAIN_DB)) {
      throw new IllegalArgumentException(
          "gainDb must be between " + MIN_GAIN_DB + " and " + MAX_GAIN_DB + ": " + gainDb);
    }
    this.gain = (int) Math.round(Math.pow(10, gainDb / 20) * (1 << GAIN_SHIFT));
  }

  /**
   * Adds the next ambience samples to a frame of μ-law audio, in place, clipping at full scale so a
   * loud sample never wraps round to the other sign. Moves the cursor on by the frame's length.
   */
  public void mixInto(byte[] mulawFrame) {
    short[] samples = cursor.samples;
    int position = cursor.position;
    for (int i = 0; i < mulawFrame.length; i++) {
      int sum = Mulaw.decode(mulawFrame[i]) + scaled(samples[position]);
      mulawFrame[i] = Mulaw.encode((short) Math.clamp(sum, Short.MIN_VALUE, Short.MAX_VALUE));
      position = position + 1 == samples.length ? 0 : position + 1;
    }
    cursor.position = position;
  }

  /**
   * Fills {@code out} (a 160-byte frame, usually) with ambience alone, μ-law encoded, for the
   * silences between replies. Moves the cursor on by the frame's length.
   */
  public void silenceFrame(byte[] out) {
    short[] samples = cursor.samples;
    int position = cursor.position;
    for (int i = 0; i < out.length; i++) {
      int sample = scaled(samples[position]);
      out[i] = Mulaw.encode((short) Math.clamp(sample, Short.MIN_VALUE, Short.MAX_VALUE));
      position = position + 1 == samples.length ? 0 : position + 1;
    }
    cursor.position = position;
  }

  private int scaled(short sample) {
    return (sample * gain + GAIN_ROUND) >> GAIN_SHIFT;
  }
}
