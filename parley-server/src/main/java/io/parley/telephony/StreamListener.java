package io.parley.telephony;

import io.parley.telephony.twilio.StreamEvent;

/**
 * Receives one stream's events on the socket's thread, in order. Must not block: hand the event off
 * (audio straight to speech recognition, the rest to the call's mailbox).
 */
public interface StreamListener {

  /** A {@code media}, {@code mark}, {@code dtmf} or {@code stop} message. */
  void onEvent(StreamEvent event);

  /**
   * The socket closed (after {@code stop}, or without it when the connection broke). Always the
   * last call.
   *
   * @param code the WebSocket close code
   */
  void onClosed(int code, String reason);
}
