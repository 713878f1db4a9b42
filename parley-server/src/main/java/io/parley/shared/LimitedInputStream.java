package io.parley.shared;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * Passes a stream through until it exceeds a byte limit, then throws what {@code tooLarge} makes
 * (an upload's 413): a streamed upload is refused as it arrives, never after it was held whole.
 */
public final class LimitedInputStream extends FilterInputStream {

  private final long limit;
  private final Supplier<? extends RuntimeException> tooLarge;
  private long read;

  public LimitedInputStream(
      InputStream in, long limit, Supplier<? extends RuntimeException> tooLarge) {
    super(in);
    this.limit = limit;
    this.tooLarge = tooLarge;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      count(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      count(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    count(skipped);
    return skipped;
  }

  private void count(long bytes) {
    read += bytes;
    if (read > limit) {
      throw tooLarge.get();
    }
  }
}
