package io.parley.bench;

import io.parley.sim.audio.EmissionLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which TTS emission, and where in it, a 160-byte frame the caller received is. Parley's pacer
 * frames each utterance from its first byte, so an unmixed frame is exactly one 160-byte block of
 * one emission; the simulators' speech carries random low bits, so a whole block is unique. (The
 * sim's own EmissionLog.locate works on 8-byte windows and can be fooled by quiet word onsets,
 * which repeat across emissions; here the whole frame must match.)
 */
final class AudioIndex {
  private static final int FRAME = 160;

  /**
   * A synthesized word is the same audio wherever it is said (only the gaps between words are
   * random), so a frame inside a word is placed by the nearest frame of a gap, at most a word (900
   * ms) away.
   */
  private static final int MAX_WORD_FRAMES = 50;

  /** A frame's place: emission and byte offset. */
  record Block(EmissionLog.Emission emission, int offset) {}

  private final Map<Integer, List<Block>> blocks = new HashMap<>();

  AudioIndex(List<EmissionLog.Emission> emissions) {
    for (EmissionLog.Emission e : emissions) {
      byte[] a = e.audio();
      for (int at = 0; at + FRAME <= a.length; at += FRAME) {
        blocks
            .computeIfAbsent(
                Arrays.hashCode(Arrays.copyOfRange(a, at, at + FRAME)), k -> new ArrayList<>(1))
            .add(new Block(e, at));
      }
    }
  }

  /** Every block equal to this frame (a word's first frame can repeat across emissions). */
  List<Block> candidates(byte[] frame) {
    if (frame.length != FRAME) {
      return List.of();
    }
    List<Block> out = new ArrayList<>(1);
    for (Block b : blocks.getOrDefault(Arrays.hashCode(frame), List.of())) {
      if (Arrays.equals(frame, 0, FRAME, b.emission().audio(), b.offset(), b.offset() + FRAME)) {
        out.add(b);
      }
    }
    return out;
  }

  /**
   * The block each frame of a call is, or null. A frame inside a word is the same for the same word
   * anywhere, so an ambiguous frame takes the candidate that continues the nearest unambiguous
   * frame before or after it.
   */
  Block[] identify(List<byte[]> frames) {
    List<List<Block>> candidates = new ArrayList<>(frames.size());
    for (byte[] f : frames) {
      candidates.add(candidates(f));
    }
    Block[] out = new Block[frames.size()];
    for (int i = 0; i < out.length; i++) {
      if (candidates.get(i).size() == 1) {
        out[i] = candidates.get(i).getFirst();
      }
    }
    for (int i = 0; i < out.length; i++) {
      if (out[i] != null || candidates.get(i).isEmpty()) {
        continue;
      }
      for (int d = 1; d <= MAX_WORD_FRAMES && out[i] == null; d++) {
        out[i] = continuing(candidates.get(i), out, i + d, d);
        if (out[i] == null) {
          out[i] = continuing(candidates.get(i), out, i - d, -d);
        }
      }
    }
    return out;
  }

  private static Block continuing(List<Block> candidates, Block[] known, int at, int distance) {
    if (at < 0 || at >= known.length || known[at] == null) {
      return null;
    }
    for (Block c : candidates) {
      if (c.emission().id() == known[at].emission().id()
          && c.offset() + distance * FRAME == known[at].offset()) {
        return c;
      }
    }
    return null;
  }
}
