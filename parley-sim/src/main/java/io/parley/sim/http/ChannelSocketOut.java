package io.parley.sim.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.concurrent.TimeUnit;

/**
 * A Netty WebSocket's sending side. Sends from the socket's own event loop are queued and never
 * waited for; a send from any other thread waits until it is written, so a dead peer shows as a
 * false return, as with {@link SocketWriter}.
 */
final class ChannelSocketOut implements SocketOut {
  private final Channel channel;
  // System.nanoTime() of the last frame sent
  private volatile long lastSent = System.nanoTime() - SocketWriter.DROP_GRACE.toNanos();

  ChannelSocketOut(Channel channel) {
    this.channel = channel;
  }

  @Override
  public boolean text(String text) {
    return send(new TextWebSocketFrame(text));
  }

  @Override
  public boolean binary(byte[] bytes) {
    return send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
  }

  private boolean send(WebSocketFrame frame) {
    if (!channel.isActive()) {
      frame.release();
      return false;
    }
    ChannelFuture sent = channel.writeAndFlush(frame);
    lastSent = System.nanoTime();
    if (channel.eventLoop().inEventLoop()) {
      return true;
    }
    try {
      return sent.await(10, TimeUnit.SECONDS) && sent.isSuccess();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close(int code, String reason) {
    if (channel.isActive()) {
      channel
          .writeAndFlush(new CloseWebSocketFrame(code, reason))
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  /**
   * A reset (SO_LINGER 0, then close) after the last frame has had {@link SocketWriter#DROP_GRACE}
   * of real time to reach the client: see {@link SocketWriter#drop()}.
   */
  @Override
  public void drop() {
    long wait = lastSent + SocketWriter.DROP_GRACE.toNanos() - System.nanoTime();
    Runnable reset =
        () -> {
          channel.config().setOption(ChannelOption.SO_LINGER, 0);
          channel.close();
        };
    if (wait > 0) {
      channel.eventLoop().schedule(reset, wait, TimeUnit.NANOSECONDS);
    } else {
      channel.eventLoop().execute(reset);
    }
  }

  @Override
  public boolean isOpen() {
    return channel.isActive();
  }
}
