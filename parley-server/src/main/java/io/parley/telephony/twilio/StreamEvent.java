package io.parley.telephony.twilio;

import java.util.Map;

/**
 * One message Twilio sends on a Media Streams socket. Twilio's counters are strings on the wire;
 * they are parsed to numbers here so nobody downstream has to.
 */
public sealed interface StreamEvent {

  /** Always the first message: the socket speaks the Call protocol. */
  record Connected(String protocol, String version) implements StreamEvent {}

  /** Sent once, right after {@link Connected}: which call this stream belongs to. */
  record Start(
      String streamSid,
      String accountSid,
      String callSid,
      Map<String, String> customParameters,
      String encoding,
      int sampleRate,
      int channels)
      implements StreamEvent {

    public Start {
      customParameters = Map.copyOf(customParameters);
    }
  }

  /**
   * 20 ms of caller audio.
   *
   * @param chunk Twilio's per-track counter, starting at 1
   * @param timestampMs milliseconds since the stream started
   * @param payload raw μ-law bytes (160 for a 20 ms frame)
   */
  record Media(String track, long chunk, long timestampMs, byte[] payload) implements StreamEvent {}

  /** A key the caller pressed: one of 0-9, *, # and A-D (the codec refuses anything else). */
  record Dtmf(String digit) implements StreamEvent {}

  /** Echo of a mark we sent: the audio queued before it has been played (or cleared). */
  record Mark(String name) implements StreamEvent {}

  /** The stream ended: hang-up, redirect or the stream was stopped. */
  record Stop(String callSid) implements StreamEvent {}

  /** A message this version does not know; kept so it can be counted, never fatal. */
  record Unknown(String event) implements StreamEvent {}
}
