package io.parley.tts;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keeps WAV headers out of the audio stream. Parley always asks for raw μ-law, but a provider that
 * answers with a container anyway (Aura's default for μ-law is WAV) would otherwise put 44+ bytes
 * of header into the caller's ear as a click. A μ-law 8 kHz mono WAV is unwrapped; any other WAV is
 * refused, since its samples are not what Twilio plays. One guard per audio stream, fed in order.
 */
final class WavGuard {
  private static final int FORMAT_MULAW = 7;

  /** The stream is not μ-law 8 kHz mono. */
  static final class RefusedAudio extends Exception {
    RefusedAudio(String message) {
      super(message);
    }
  }

  private enum State {
    SNIFFING,
    HEADER,
    SKIPPING,
    RAW
  }

  private State state = State.SNIFFING;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private long skip;
  private boolean formatChecked;

  /** The raw audio in {@code chunk}, possibly empty while a header is being read. */
  byte[] accept(byte[] chunk) throws RefusedAudio {
    if (state == State.RAW) {
      return chunk;
    }
    pending.writeBytes(chunk);
    byte[] out = new byte[0];
    boolean progress = true;
    while (progress && state != State.RAW) {
      byte[] buf = pending.toByteArray();
      progress = false;
      switch (state) {
        case SNIFFING -> {
          if (!startsLikeRiff(buf)) {
            state = State.RAW;
            out = take(buf, 0);
          } else if (buf.length >= 12) {
            if (!ascii(buf, 8, "WAVE")) {
              state = State.RAW;
              out = take(buf, 0);
            } else {
              state = State.HEADER;
              progress = reset(buf, 12);
            }
          }
        }
        case HEADER -> {
          if (buf.length >= 8) {
            String id = new String(buf, 0, 4, StandardCharsets.US_ASCII);
            long size =
                ByteBuffer.wrap(buf, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
            if (id.equals("data")) {
              if (!formatChecked) {
                throw new RefusedAudio("WAV audio without a format chunk");
              }
              state = State.RAW;
              out = take(buf, 8);
            } else if (id.equals("fmt ")) {
              if (buf.length >= 8 + 16) {
                checkFormat(buf);
                formatChecked = true;
                skip = size + (size & 1);
                state = State.SKIPPING;
                progress = reset(buf, 8);
              }
            } else {
              skip = size + (size & 1);
              state = State.SKIPPING;
              progress = reset(buf, 8);
            }
          }
        }
        case SKIPPING -> {
          if (buf.length >= skip) {
            state = State.HEADER;
            progress = reset(buf, (int) skip);
          }
        }
        case RAW -> throw new IllegalStateException();
      }
    }
    return out;
  }

  /** At the end of the stream: bytes still held back while sniffing (a stream shorter than 12). */
  byte[] finish() {
    byte[] rest = state == State.SNIFFING ? pending.toByteArray() : new byte[0];
    pending.reset();
    state = State.RAW;
    return rest;
  }

  private static void checkFormat(byte[] buf) throws RefusedAudio {
    ByteBuffer fmt = ByteBuffer.wrap(buf, 8, 16).order(ByteOrder.LITTLE_ENDIAN);
    int format = fmt.getShort() & 0xFFFF;
    int channels = fmt.getShort() & 0xFFFF;
    int rate = fmt.getInt();
    if (format != FORMAT_MULAW || channels != 1 || rate != 8000) {
      throw new RefusedAudio(
          "WAV audio is format "
              + format
              + ", "
              + channels
              + " channel(s), "
              + rate
              + " Hz; "
              + "expected μ-law (7), 1 channel, 8000 Hz");
    }
  }

  private byte[] take(byte[] buf, int from) {
    pending.reset();
    return Arrays.copyOfRange(buf, from, buf.length);
  }

  private boolean reset(byte[] buf, int consumed) {
    pending.reset();
    pending.write(buf, consumed, buf.length - consumed);
    return true;
  }

  private static boolean startsLikeRiff(byte[] buf) {
    String riff = "RIFF";
    for (int i = 0; i < Math.min(4, buf.length); i++) {
      if (buf[i] != riff.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean ascii(byte[] buf, int at, String text) {
    return new String(buf, at, text.length(), StandardCharsets.US_ASCII).equals(text);
  }
}
