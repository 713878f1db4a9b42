package io.parley.sim.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** WAV files of μ-law audio (format tag 7), as Twilio serves recordings. */
public final class Wav {
  private Wav() {}

  public static byte[] mulaw(byte[] audio) {
    ByteBuffer b = ByteBuffer.allocate(58 + audio.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(50 + audio.length);
    b.put("WAVE".getBytes(StandardCharsets.US_ASCII));
    b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(18);
    b.putShort((short) 7).putShort((short) 1).putInt(8000).putInt(8000);
    b.putShort((short) 1).putShort((short) 8).putShort((short) 0);
    b.put("fact".getBytes(StandardCharsets.US_ASCII)).putInt(4).putInt(audio.length);
    b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(audio.length).put(audio);
    return b.array();
  }

  /** True if the bytes start like a RIFF/WAV file: such a header must never be sent as media. */
  public static boolean looksLikeWav(byte[] bytes) {
    return bytes.length >= 12
        && bytes[0] == 'R'
        && bytes[1] == 'I'
        && bytes[2] == 'F'
        && bytes[3] == 'F'
        && bytes[8] == 'W'
        && bytes[9] == 'A'
        && bytes[10] == 'V'
        && bytes[11] == 'E';
  }
}
