package io.parley.sim.audio;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Reads the words {@link Speech} hid in a μ-law stream, however the stream was cut into frames. A
 * word is reported only when every one of its samples arrived unchanged.
 */
public final class SpeechDecoder {
  private static final int MAX_WORD = 900 * Speech.RATE / 1000;

  private byte[] bits = new byte[4096];
  private int size;
  private long base;
  private int scan;

  /** Feeds received bytes; returns the words completed by them, timed in samples since start. */
  public List<Speech.Word> feed(byte[] ulaw, int offset, int length) {
    ensure(size + length);
    for (int i = 0; i < length; i++) {
      bits[size++] = (byte) (ulaw[offset + i] & 1);
    }
    List<Speech.Word> words = new ArrayList<>();
    while (true) {
      int result = tryAt(scan);
      if (result == NEED_MORE) {
        break;
      }
      if (result == NO_WORD) {
        scan++;
        continue;
      }
      words.add(lastWord);
      scan = result;
    }
    compact();
    return words;
  }

  public List<Speech.Word> feed(byte[] ulaw) {
    return feed(ulaw, 0, ulaw.length);
  }

  private static final int NEED_MORE = -1;
  private static final int NO_WORD = -2;
  private Speech.Word lastWord;

  /** Tries to read a word starting at bit {@code p}: its end, NO_WORD, or NEED_MORE. */
  private int tryAt(int p) {
    if (p + 40 > size) {
      return NEED_MORE;
    }
    if (read(p, 16) != Speech.MAGIC) {
      return NO_WORD;
    }
    int count = read(p + 16, 16);
    int length = read(p + 32, 8);
    int headerBits = 56 + 8 * length;
    if (count < headerBits || count > MAX_WORD) {
      return NO_WORD;
    }
    if (p + headerBits > size) {
      return NEED_MORE;
    }
    byte[] text = new byte[length];
    for (int i = 0; i < length; i++) {
      text[i] = (byte) read(p + 40 + 8 * i, 8);
    }
    int crc = Speech.crc(text, count);
    if (read(p + 40 + 8 * length, 16) != crc) {
      return NO_WORD;
    }
    SplittableRandom filler = new SplittableRandom(crc);
    int verified = Math.min(size - p, count);
    for (int i = headerBits; i < verified; i++) {
      if (bits[p + i] != filler.nextInt(2)) {
        return NO_WORD;
      }
    }
    if (p + count > size) {
      return NEED_MORE;
    }
    String word;
    try {
      word =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(text))
              .toString();
    } catch (CharacterCodingException e) {
      return NO_WORD;
    }
    lastWord = new Speech.Word(word, (int) (base + p), (int) (base + p + count));
    return p + count;
  }

  private int read(int at, int width) {
    int v = 0;
    for (int i = 0; i < width; i++) {
      v = (v << 1) | bits[at + i];
    }
    return v;
  }

  private void ensure(int capacity) {
    if (capacity > bits.length) {
      bits = java.util.Arrays.copyOf(bits, Math.max(capacity, bits.length * 2));
    }
  }

  private void compact() {
    if (scan > 8192) {
      System.arraycopy(bits, scan, bits, 0, size - scan);
      size -= scan;
      base += scan;
      scan = 0;
    }
  }
}
