package io.parley.conversation;

import io.parley.conversation.audio.Mulaw;
import io.parley.shared.InvalidInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads an uploaded WAV file into what a call plays: raw μ-law at 8 kHz, mono. Accepts the two
 * forms telephone audio is kept in, μ-law (format 7) and 16-bit PCM (format 1), both 8 kHz mono;
 * anything else is refused rather than resampled, so what the operator uploaded is what the callee
 * hears.
 */
public final class TelephoneWav {

  private static final int FORMAT_PCM = 1;
  private static final int FORMAT_MULAW = 7;
  private static final int FORMAT_EXTENSIBLE = 0xFFFE;
  private static final int RATE = 8000;

  private TelephoneWav() {}

  /**
   * The file's audio as μ-law 8 kHz mono.
   *
   * @param field the request field named in errors
   * @throws InvalidInputException naming {@code field} for anything but a whole 8 kHz mono μ-law or
   *     16-bit PCM WAV file with some audio
   */
  public static byte[] toMulaw(byte[] wav, String field) {
    ByteBuffer in = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    if (wav.length < 12 || !tag(wav, 0).equals("RIFF") || !tag(wav, 8).equals("WAVE")) {
      throw new InvalidInputException(field, "must be a WAV file (RIFF/WAVE)");
    }
    int position = 12;
    int format = -1;
    int channels = 0;
    int rate = 0;
    int bits = 0;
    while (position + 8 <= wav.length) {
      String id = tag(wav, position);
      long size = Integer.toUnsignedLong(in.getInt(position + 4));
      int body = position + 8;
      if (size > wav.length - body) {
        throw new InvalidInputException(
            field, "is cut short: chunk '" + id + "' runs past the end");
      }
      if (id.equals("fmt ")) {
        if (size < 16) {
          throw new InvalidInputException(field, "has a format chunk too short to read");
        }
        format = Short.toUnsignedInt(in.getShort(body));
        channels = Short.toUnsignedInt(in.getShort(body + 2));
        rate = in.getInt(body + 4);
        bits = Short.toUnsignedInt(in.getShort(body + 14));
        if (format == FORMAT_EXTENSIBLE && size >= 26) {
          format = Short.toUnsignedInt(in.getShort(body + 24));
        }
      } else if (id.equals("data")) {
        if (format < 0) {
          throw new InvalidInputException(field, "has its audio before its format chunk");
        }
        check(format, channels, rate, bits, field);
        if (size == 0) {
          throw new InvalidInputException(field, "holds no audio");
        }
        return format == FORMAT_MULAW
            ? java.util.Arrays.copyOfRange(wav, body, body + (int) size)
            : pcmToMulaw(in, body, (int) size);
      }
      // Chunks are padded to an even length.
      position = body + (int) size + (int) (size & 1);
    }
    throw new InvalidInputException(field, "has no audio (no data chunk)");
  }

  private static void check(int format, int channels, int rate, int bits, String field) {
    boolean mulaw = format == FORMAT_MULAW && bits == 8;
    boolean pcm = format == FORMAT_PCM && bits == 16;
    if (!(mulaw || pcm) || channels != 1 || rate != RATE) {
      throw new InvalidInputException(
          field,
          "must be 8 kHz mono audio, μ-law or 16-bit PCM (this file is "
              + describe(format, bits)
              + ", "
              + channels
              + " channel(s), "
              + rate
              + " Hz)");
    }
  }

  private static String describe(int format, int bits) {
    return switch (format) {
      case FORMAT_PCM -> bits + "-bit PCM";
      case FORMAT_MULAW -> "μ-law";
      default -> "format " + format;
    };
  }

  private static byte[] pcmToMulaw(ByteBuffer in, int offset, int size) {
    byte[] out = new byte[size / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = Mulaw.encode(in.getShort(offset + 2 * i));
    }
    return out;
  }

  private static String tag(byte[] wav, int at) {
    return new String(wav, at, 4, StandardCharsets.US_ASCII);
  }
}
