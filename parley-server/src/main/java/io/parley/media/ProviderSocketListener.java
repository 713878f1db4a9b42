package io.parley.media;

import io.netty.buffer.ByteBuf;

/**
 * What a {@link ProviderSocket} reports, always on the socket's event loop, so a listener bound to
 * the same loop needs no lock. Every socket ends with exactly one terminal call: {@link
 * #onOpenFailed} when it never opened, otherwise {@link #onClosed} after {@link #onOpen}; that
 * holds when the caller closes or aborts the socket too. A listener that throws is logged and the
 * socket is aborted.
 */
public interface ProviderSocketListener {

  /** The handshake succeeded: sends go out from now on. */
  void onOpen(ProviderSocket socket);

  /**
   * One whole text message (continuation frames already joined), as UTF-8. The buffer is released
   * when this returns: {@code utf8.toString(StandardCharsets.UTF_8)} or parse it in place.
   */
  void onText(ProviderSocket socket, ByteBuf utf8);

  /** One whole binary message; released when this returns ({@code retain()} to keep it). */
  default void onBinary(ProviderSocket socket, ByteBuf data) {}

  /**
   * The socket's write buffer crossed its high watermark ({@code false}) or drained below the low
   * one ({@code true}).
   */
  default void onWritabilityChanged(ProviderSocket socket, boolean writable) {}

  /** The socket never opened; nothing follows. */
  void onOpenFailed(ProviderSocket socket, ProviderSocket.OpenFailure failure);

  /**
   * An open socket ended; nothing follows.
   *
   * @param code the status of the provider's close frame; 1006 when the connection ended without
   *     one (a drop, an error, {@link ProviderSocket#abort}, or no answer to our own close frame)
   * @param reason the close frame's reason, or what ended the connection
   */
  void onClosed(ProviderSocket socket, int code, String reason);
}
