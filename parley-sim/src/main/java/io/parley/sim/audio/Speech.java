package io.parley.sim.audio;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Deterministic, speech-like synthesis at 8 kHz μ-law. Each word is a voiced sound (a glottal pulse
 * train with a few harmonics under a syllable envelope) about as long as the word; words are 40 ms
 * apart, so an utterance never pauses for more than 100 ms.
 *
 * <p>Every word carries a signature in the least significant bit of its μ-law bytes (one
 * quantisation step, inaudible): a magic pattern, the word's length in samples, its UTF-8 text and
 * a CRC, then pseudo-random bits up to its last sample. {@link SpeechDecoder} reads it back from
 * the bytes it receives; a word that lost or changed a single byte fails the check and is not
 * heard. The bits in the gaps are pseudo-random too, which makes every stretch of synthesized audio
 * unique (the {@link EmissionLog} relies on that to locate heard audio).
 */
public final class Speech {
  public static final int RATE = 8000;
  static final int MAGIC = 0xB3C5;
  static final int GAP_SAMPLES = 320;
  private static final int AMPLITUDE = 7000;

  /**
   * A word's audio depends on its text alone and costs a few sines per sample to make; a load
   * benchmark speaks the same words thousands of times, so they are made once (bounded: a long run
   * with endless new words starts the cache over rather than growing without limit).
   */
  private static final int CACHED_WORDS = 8192;

  private static final ConcurrentHashMap<String, byte[]> WORDS = new ConcurrentHashMap<>();

  private Speech() {}

  /** A word's place in synthesized audio, as sample (= byte) offsets. */
  public record Word(String text, int start, int end) {
    public double startSeconds() {
      return start / (double) RATE;
    }

    public double endSeconds() {
      return end / (double) RATE;
    }
  }

  public record Utterance(String text, byte[] audio, List<Word> words) {
    public long durationMillis() {
      return audio.length * 1000L / RATE;
    }
  }

  /** Synthesizes the text; the same text and seed always give the same bytes. */
  public static Utterance synthesize(String text, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<Word> words = new ArrayList<>();
    String[] tokens = text.strip().isEmpty() ? new String[0] : text.strip().split("\\s+");
    for (int i = 0; i < tokens.length; i++) {
      if (i > 0) {
        gap(out, random);
      }
      int start = out.size();
      random.nextLong(); // kept so the gaps' bits stay what they always were for a seed
      out.writeBytes(word(tokens[i]));
      words.add(new Word(tokens[i], start, out.size()));
    }
    return new Utterance(text, out.toByteArray(), List.copyOf(words));
  }

  /** Low-level background with random LSBs, for a line that is open but quiet. */
  public static byte[] comfortNoise(int samples, SplittableRandom random) {
    byte[] out = new byte[samples];
    for (int i = 0; i < samples; i++) {
      int sample = (int) (random.nextGaussian() * 6);
      out[i] = withBit(Mulaw.encode(sample), random.nextInt(2));
    }
    return out;
  }

  private static void gap(ByteArrayOutputStream out, SplittableRandom random) {
    out.writeBytes(comfortNoise(GAP_SAMPLES, random));
  }

  static int samplesFor(String word) {
    int ms = Math.clamp(160 + 60L * word.length(), 220, 900);
    return ms * RATE / 1000;
  }

  private static byte[] word(String word) {
    byte[] cached = WORDS.get(word);
    if (cached == null) {
      if (WORDS.size() >= CACHED_WORDS) {
        WORDS.clear();
      }
      cached = synthesizeWord(word);
      WORDS.put(word, cached);
    }
    return cached;
  }

  private static byte[] synthesizeWord(String word) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(samplesFor(word));
    byte[] text = word.getBytes(StandardCharsets.UTF_8);
    int count = samplesFor(word);
    int[] bits = signature(text, count);
    SplittableRandom filler = new SplittableRandom(crc(text, count));
    double f0 = 100 + Math.floorMod(word.hashCode(), 60);
    double phase = 0;
    for (int i = 0; i < count; i++) {
      double t = i / (double) RATE;
      double envelope =
          Math.min(1, i / (0.02 * RATE))
              * Math.min(1, (count - i) / (0.03 * RATE))
              * (0.75 + 0.25 * Math.sin(Math.PI * i / count));
      phase += 2 * Math.PI * f0 * (1 + 0.03 * Math.sin(2 * Math.PI * 5 * t)) / RATE;
      double v = 0;
      for (int h = 1; h <= 6; h++) {
        double formant = h == 2 || h == 3 ? 1.0 : 0.5;
        v += formant / h * Math.sin(h * phase);
      }
      int sample = (int) (AMPLITUDE * envelope * v / 1.6);
      int bit = i < bits.length ? bits[i] : filler.nextInt(2);
      out.write(withBit(Mulaw.encode(sample), bit));
    }
    if (bits.length > count) {
      throw new IllegalArgumentException("word too long to carry its signature: " + word);
    }
    return out.toByteArray();
  }

  static byte withBit(byte b, int bit) {
    return (byte) ((b & 0xFE) | bit);
  }

  /** magic(16) count(16) length(8) text(8 per byte) crc(16), most significant bit first. */
  static int[] signature(byte[] text, int count) {
    int[] bits = new int[56 + 8 * text.length];
    int at = put(bits, 0, MAGIC, 16);
    at = put(bits, at, count, 16);
    at = put(bits, at, text.length, 8);
    for (byte b : text) {
      at = put(bits, at, b & 0xFF, 8);
    }
    put(bits, at, crc(text, count), 16);
    return bits;
  }

  private static int put(int[] bits, int at, int value, int width) {
    for (int i = width - 1; i >= 0; i--) {
      bits[at++] = (value >> i) & 1;
    }
    return at;
  }

  /** CRC-16/CCITT over the sample count and the text. */
  static int crc(byte[] text, int count) {
    int crc = 0xFFFF;
    byte[] head = {(byte) (count >> 8), (byte) count, (byte) text.length};
    for (byte[] part : new byte[][] {head, text}) {
      for (byte b : part) {
        crc ^= (b & 0xFF) << 8;
        for (int k = 0; k < 8; k++) {
          crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
        }
        crc &= 0xFFFF;
      }
    }
    return crc;
  }
}
