package io.parley.sim.caller;

import io.parley.sim.audio.Speech;
import java.util.SplittableRandom;

/**
 * The line noise a quiet caller sends, made once for every caller: {@value #COUNT} frames (five
 * seconds) of low-level background with random low bits, which each stream plays in a loop from its
 * own starting point. Shared and never written: a frame that carries speech is a copy.
 */
final class NoiseFrames {
  static final int COUNT = 250;
  private static final int FRAME = 160;
  private static final byte[][] FRAMES = make();

  private NoiseFrames() {}

  static byte[] frame(int index) {
    return FRAMES[Math.floorMod(index, COUNT)];
  }

  private static byte[][] make() {
    SplittableRandom random = new SplittableRandom(0x5EED);
    byte[][] frames = new byte[COUNT][];
    for (int i = 0; i < COUNT; i++) {
      frames[i] = Speech.comfortNoise(FRAME, random);
    }
    return frames;
  }
}
