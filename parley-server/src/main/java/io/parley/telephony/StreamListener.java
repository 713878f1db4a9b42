package io.parley.telephony;

import io.parley.telephony.twilio.StreamEvent;

/**
 * Receives one stream's events on the socket's event loop, in order. Must not block: the loop
 * carries other calls too (audio goes straight to speech recognition's socket on the same loop).
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
