package io.parley.conversation.audio;

/**
 * G.711 μ-law, the telephone codec Twilio streams: 8-bit samples that stand for 14-bit linear PCM
 * on a logarithmic scale. Decoding is a table lookup and encoding a table lookup on the top bits,
 * so mixing audio on the call's thread costs a few nanoseconds per sample.
 */
public final class Mulaw {

  private static final int BIAS = 0x84;
  private static final int CLIP = 32635;
  private static final short[] DECODE = new short[256];
  // Segment (exponent) of a biased magnitude, indexed by its bits 7..14.
  private static final byte[] SEGMENT = new byte[256];

  static {
    for (int i = 0; i < 256; i++) {
      int value = ~i & 0xFF;
      int exponent = (value >> 4) & 0x07;
      int mantissa = value & 0x0F;
      int magnitude = ((mantissa << 3) + BIAS) << exponent;
      DECODE[i] = (short) ((value & 0x80) != 0 ? BIAS - magnitude : magnitude - BIAS);
    }
    for (int i = 0; i < 256; i++) {
      SEGMENT[i] = (byte) (i == 0 ? 0 : 31 - Integer.numberOfLeadingZeros(i));
    }
  }

  private Mulaw() {}

  /** The linear 16-bit sample a μ-law byte stands for. */
  public static short decode(byte mulaw) {
    return DECODE[mulaw & 0xFF];
  }

  /** The μ-law byte nearest to a linear 16-bit sample (ITU-T G.711, with clipping). */
  public static byte encode(short linear) {
    int sample = linear;
    int sign = (sample >> 8) & 0x80;
    if (sign != 0) {
      sample = -sample;
    }
    if (sample > CLIP) {
      sample = CLIP;
    }
    sample += BIAS;
    int exponent = SEGMENT[(sample >> 7) & 0xFF];
    int mantissa = (sample >> (exponent + 3)) & 0x0F;
    return (byte) ~(sign | (exponent << 4) | mantissa);
  }
}
