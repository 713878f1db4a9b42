package io.parley.telephony;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/**
 * A media socket's sending side on its Netty channel. Writes made on the channel's loop go straight
 * to the socket; Netty queues writes from other threads onto the loop, so {@link #close} is safe
 * from anywhere.
 */
final class ChannelOutput implements StreamOutput {

  private final Channel channel;
  private final MediaStreamHandler handler;

  ChannelOutput(Channel channel, MediaStreamHandler handler) {
    this.channel = channel;
    this.handler = handler;
  }

  @Override
  public boolean send(String message) {
    if (!isOpen()) {
      return false;
    }
    channel.writeAndFlush(new TextWebSocketFrame(message), channel.voidPromise());
    return true;
  }

  @Override
  public boolean send(ByteBuf utf8Message) {
    if (!write(utf8Message)) {
      return false;
    }
    channel.flush();
    return true;
  }

  @Override
  public boolean write(ByteBuf utf8Message) {
    if (!isOpen()) {
      utf8Message.release();
      return false;
    }
    channel.write(new TextWebSocketFrame(utf8Message), channel.voidPromise());
    return true;
  }

  @Override
  public void flush() {
    channel.flush();
  }

  @Override
  public void close(int code, String reason) {
    if (channel.eventLoop().inEventLoop()) {
      closeOnLoop(code, reason);
    } else {
      channel.eventLoop().execute(() -> closeOnLoop(code, reason));
    }
  }

  private void closeOnLoop(int code, String reason) {
    if (!handler.closing(code, reason)) {
      return;
    }
    channel
        .writeAndFlush(new CloseWebSocketFrame(code, reason))
        .addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public boolean isOpen() {
    return channel.isActive() && !handler.isClosing();
  }

  @Override
  public EventLoop loop() {
    return channel.eventLoop();
  }

  @Override
  public ByteBufAllocator alloc() {
    return channel.alloc();
  }
}
