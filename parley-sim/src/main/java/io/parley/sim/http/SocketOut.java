package io.parley.sim.http;

/**
 * The sending side of a server-side WebSocket as a simulated session uses it, whichever server
 * carries the socket: one writer, a false return once the peer is gone, a close with a code, and a
 * drop without a close handshake (a reset).
 */
public interface SocketOut {
  /** Sends a text message; false when the socket is closed or the send failed. */
  boolean text(String text);

  /** Sends a binary message; false when the socket is closed or the send failed. */
  boolean binary(byte[] bytes);

  /** Closes with a close frame carrying {@code code} and {@code reason}. */
  void close(int code, String reason);

  /** Cuts the connection with a reset, as a crashed server or a load balancer does. */
  void drop();

  boolean isOpen();
}
