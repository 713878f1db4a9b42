package io.parley.bench.jmh;

import io.parley.conversation.audio.Mulaw;
import java.util.Base64;
import java.util.Random;

/**
 * Realistic per-frame inputs: one 20 ms frame of 8 kHz μ-law (160 bytes) that sounds like speech
 * rather than silence, so the μ-law tables are hit across their range, and the Media Streams
 * messages Twilio sends, shaped and ordered as Twilio's documentation shows them.
 */
final class Frames {

  /** 20 ms of 8 kHz μ-law. */
  static final int FRAME_BYTES = 160;

  static final String STREAM_SID = "MZ18ad3ab5a668481ce02b83e7395059f0";
  static final String CALL_SID = "CA5d6b0f0e7c1f4a2b9e8d7c6b5a493827";
  static final String ACCOUNT_SID = "AC7b2e3c4d5f60718293a4b5c6d7e8f901";

  private Frames() {}

  /**
   * One frame of a voiced sound: a 180 Hz fundamental with two formant-ish harmonics and a little
   * noise, around -12 dBFS, from a fixed seed so every run measures the same bytes.
   */
  static byte[] speechFrame() {
    Random random = new Random(20_000_000L);
    byte[] frame = new byte[FRAME_BYTES];
    for (int i = 0; i < FRAME_BYTES; i++) {
      double t = i / 8000.0;
      double sample =
          0.20 * Math.sin(2 * Math.PI * 180 * t)
              + 0.08 * Math.sin(2 * Math.PI * 720 * t)
              + 0.04 * Math.sin(2 * Math.PI * 2340 * t)
              + 0.01 * random.nextGaussian();
      frame[i] = Mulaw.encode((short) Math.round(sample * Short.MAX_VALUE));
    }
    return frame;
  }

  /** A caller's audio frame as Twilio sends it: 160 bytes, base64 in {@code media.payload}. */
  static String mediaMessage() {
    return "{\"event\":\"media\",\"sequenceNumber\":\"1542\",\"media\":{\"track\":\"inbound\","
        + "\"chunk\":\"1540\",\"timestamp\":\"30780\",\"payload\":\""
        + Base64.getEncoder().encodeToString(speechFrame())
        + "\"},\"streamSid\":\""
        + STREAM_SID
        + "\"}";
  }

  /** Twilio's echo of a mark Parley sent after a reply's audio. */
  static String markMessage() {
    return "{\"event\":\"mark\",\"sequenceNumber\":\"1543\",\"streamSid\":\""
        + STREAM_SID
        + "\",\"mark\":{\"name\":\"reply-7\"}}";
  }

  /** The stream's first real message, once per call: which call, the format, our parameters. */
  static String startMessage() {
    return "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"start\":{\"accountSid\":\""
        + ACCOUNT_SID
        + "\",\"streamSid\":\""
        + STREAM_SID
        + "\",\"callSid\":\""
        + CALL_SID
        + "\",\"tracks\":[\"inbound\"],\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\","
        + "\"sampleRate\":8000,\"channels\":1},\"customParameters\":{\"callId\":"
        + "\"0193a2f4-5b6c-7d8e-9f01-23456789abcd\",\"token\":\"c2lnbmVkLXN0cmVhbS10b2tlbg\"}},"
        + "\"streamSid\":\""
        + STREAM_SID
        + "\"}";
  }
}
