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

  /** The block this frame is, or null (a padded last frame, or audio not from the log). */
  Block find(byte[] frame) {
    if (frame.length != FRAME) {
      return null;
    }
    for (Block b : blocks.getOrDefault(Arrays.hashCode(frame), List.of())) {
      if (Arrays.equals(frame, 0, FRAME, b.emission().audio(), b.offset(), b.offset() + FRAME)) {
        return b;
      }
    }
    return null;
  }
}
