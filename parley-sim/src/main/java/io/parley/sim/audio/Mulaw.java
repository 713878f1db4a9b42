package io.parley.sim.audio;

/** G.711 μ-law, written out here so the simulators never share a codec with the server. */
public final class Mulaw {
  private static final int BIAS = 0x84;
  private static final int CLIP = 32635;
  private static final short[] DECODE = new short[256];

  /** The μ-law byte of digital silence (linear 0). */
  public static final byte SILENCE = (byte) 0xFF;

  static {
    for (int i = 0; i < 256; i++) {
      int u = ~i & 0xFF;
      int t = ((u & 0x0F) << 3) + BIAS;
      t <<= (u & 0x70) >> 4;
      DECODE[i] = (short) ((u & 0x80) != 0 ? BIAS - t : t - BIAS);
    }
  }

  private Mulaw() {}

  public static byte encode(int sample) {
    int sign = (sample >> 8) & 0x80;
    if (sign != 0) {
      sample = -sample;
    }
    if (sample > CLIP) {
      sample = CLIP;
    }
    sample += BIAS;
    int exponent = 7;
    for (int mask = 0x4000; (sample & mask) == 0 && exponent > 0; mask >>= 1) {
      exponent--;
    }
    int mantissa = (sample >> (exponent + 3)) & 0x0F;
    return (byte) ~(sign | (exponent << 4) | mantissa);
  }

  public static short decode(byte b) {
    return DECODE[b & 0xFF];
  }

  /** Mean absolute amplitude of μ-law bytes, as linear 16-bit units. */
  public static double energy(byte[] ulaw, int from, int to) {
    if (to <= from) {
      return 0;
    }
    long sum = 0;
    for (int i = from; i < to; i++) {
      sum += Math.abs(decode(ulaw[i]));
    }
    return (double) sum / (to - from);
  }
}
