package io.parley.telephony;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;

/**
 * The outbound side of a call's media socket. Build the messages with {@link
 * io.parley.telephony.twilio.MediaStreamCodec}. {@link #send} is for the socket's own {@link
 * #loop}; {@link #close} may be called from any thread.
 */
public interface StreamOutput {

  /**
   * Sends one text message without waiting.
   *
   * @return false when the socket is closed or closing (the message is dropped)
   */
  boolean send(String message);

  /**
   * Sends one text message already encoded as UTF-8; the buffer is the socket's from here on
   * (released once written, or at once when the socket is closed).
   *
   * @return false when the socket is closed or closing (the message is dropped)
   */
  boolean send(ByteBuf utf8Message);

  /**
   * Queues one text message already encoded as UTF-8 without sending it yet: it leaves with the
   * next {@link #flush} (or the next {@link #send}), in order, in as few socket writes as the
   * kernel takes. The buffer is the socket's from here on.
   *
   * @return false when the socket is closed or closing (the message is dropped)
   */
  boolean write(ByteBuf utf8Message);

  /** Sends what {@link #write} queued. */
  void flush();

  /** Closes the socket with a WebSocket close code and a short reason. Idempotent. */
  void close(int code, String reason);

  /** Whether the socket is still open. */
  boolean isOpen();

  /** The event loop the socket, and so the call on it, runs on. */
  EventLoop loop();

  /** The socket's buffer allocator (pooled), for messages built with {@code OutboundMessages}. */
  ByteBufAllocator alloc();
}
