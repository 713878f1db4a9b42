package io.parley.stt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The latest caller audio of a session, addressed by its position on the call's timeline (bytes
 * since the first one sent; one μ-law byte is one 8 kHz sample). After a reconnect the audio the
 * provider had not committed is read back from here. Owned by the session's event loop: not
 * thread-safe.
 */
final class AudioHistory {
  private final byte[] ring;
  private long end;

  AudioHistory(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.ring = new byte[capacity];
  }

  /** Appends audio; the oldest bytes beyond the capacity are forgotten. */
  void append(byte[] bytes) {
    append(Unpooled.wrappedBuffer(bytes));
  }

  /**
   * Appends the readable bytes of {@code bytes} (its indexes are left as they are); the oldest
   * bytes beyond the capacity are forgotten.
   */
  void append(ByteBuf bytes) {
    int length = bytes.readableBytes();
    int skip = Math.max(0, length - ring.length);
    int from = bytes.readerIndex() + skip;
    int at = (int) ((end + skip) % ring.length);
    int remaining = length - skip;
    int first = Math.min(remaining, ring.length - at);
    bytes.getBytes(from, ring, at, first);
    bytes.getBytes(from + first, ring, 0, remaining - first);
    end += length;
  }

  /** The timeline position after the last byte appended. */
  long end() {
    return end;
  }

  /** The oldest position still held. */
  long start() {
    return Math.max(0, end - ring.length);
  }

  /** The held audio from {@code from} (raised to {@link #start()}) to the end. */
  byte[] copyFrom(long from) {
    long begin = Math.clamp(from, start(), end);
    int length = (int) (end - begin);
    byte[] out = new byte[length];
    int at = (int) (begin % ring.length);
    int first = Math.min(length, ring.length - at);
    System.arraycopy(ring, at, out, 0, first);
    System.arraycopy(ring, 0, out, first, length - first);
    return out;
  }
}
