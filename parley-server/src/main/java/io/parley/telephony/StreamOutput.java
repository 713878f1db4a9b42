package io.parley.telephony;

/**
 * The outbound side of a call's media socket. Build the messages with {@link
 * io.parley.telephony.twilio.MediaStreamCodec}. {@link #send} is for one writer thread at a time;
 * {@link #close} may be called from any thread.
 */
public interface StreamOutput {

  /**
   * Sends one text message; blocks only while the socket's send buffer is full.
   *
   * @return false when the socket is closed or failed (the message is dropped)
   */
  boolean send(String message);

  /** Closes the socket with a WebSocket close code and a short reason. Idempotent. */
  void close(int code, String reason);

  /** Whether the socket is still open. */
  boolean isOpen();
}
