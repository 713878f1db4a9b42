package io.parley.support;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** WAV files made in tests: the format chunk, optionally an odd-length extra chunk, the data. */
public final class Wavs {

  private Wavs() {}

  /** A μ-law 8 kHz mono file holding {@code data}. */
  public static byte[] mulaw(byte[] data) {
    return of(7, 1, 8000, 8, data, false);
  }

  public static byte[] of(
      int format, int channels, int rate, int bits, byte[] data, boolean extraChunk) {
    ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    ByteBuffer fmt = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    fmt.putShort((short) format)
        .putShort((short) channels)
        .putInt(rate)
        .putInt(rate * channels * bits / 8)
        .putShort((short) (channels * bits / 8))
        .putShort((short) bits);
    chunk(chunks, "fmt ", fmt.array());
    if (extraChunk) {
      chunk(chunks, "LIST", new byte[] {1, 2, 3});
    }
    chunk(chunks, "data", data);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes("RIFF".getBytes(StandardCharsets.US_ASCII));
    file.writeBytes(le(4 + chunks.size()));
    file.writeBytes("WAVE".getBytes(StandardCharsets.US_ASCII));
    file.writeBytes(chunks.toByteArray());
    return file.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String id, byte[] body) {
    out.writeBytes(id.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(le(body.length));
    out.writeBytes(body);
    if (body.length % 2 == 1) {
      out.write(0); // chunks are padded to an even length
    }
  }

  private static byte[] le(int value) {
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
  }
}
