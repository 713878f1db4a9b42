package io.parley.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MediaTransportTest {

  @Test
  void autoMeansEpollWhereLinuxHasItAndNioElsewhere() {
    assertThat(MediaTransport.select(" AUTO "))
        .isEqualTo(Epoll.isAvailable() ? MediaTransport.EPOLL : MediaTransport.NIO);
    assertThat(MediaTransport.select("nio")).isEqualTo(MediaTransport.NIO);
  }

  @Test
  void refusesATransportNettyDoesNotHaveNamingTheSetting() {
    assertThatThrownBy(() -> MediaTransport.select("kqueue"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PARLEY_MEDIA_TRANSPORT")
        .hasMessageContaining("kqueue");
  }

  @Test
  void aProviderSocketOnALoopUsesThatLoopsOwnSocketType() {
    for (String name : new String[] {"nio", "epoll", "io_uring"}) {
      MediaTransport transport;
      try {
        transport = MediaTransport.select(name);
      } catch (IllegalStateException notOnThisMachine) {
        continue;
      }
      MediaLoops loops = new MediaLoops(1, 0, "disabled", name);
      try {
        assertThat(ProviderSocket.channelTypeFor(loops.next()))
            .isEqualTo(transport.socketChannel())
            .isEqualTo(
                switch (transport) {
                  case NIO -> NioSocketChannel.class;
                  case EPOLL -> EpollSocketChannel.class;
                  case IO_URING -> IoUringSocketChannel.class;
                });
      } finally {
        loops.destroy();
      }
    }
  }

  /** Bytes written by a client on one loop come back from a server on the same transport. */
  @ParameterizedTest
  @ValueSource(strings = {"nio", "epoll", "io_uring"})
  void eachTransportCarriesBytesBothWays(String name) throws Exception {
    assumeTrue(
        switch (name) {
          case "epoll" -> Epoll.isAvailable();
          case "io_uring" -> IoUring.isAvailable();
          default -> true;
        },
        name + " is not available on this machine");
    MediaLoops loops = new MediaLoops(1, 0, "disabled", name);
    try {
      Channel server =
          new ServerBootstrap()
              .group(loops.group())
              .channel(loops.serverChannel())
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                      channel
                          .pipeline()
                          .addLast(
                              new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                  ctx.writeAndFlush(msg);
                                }
                              });
                    }
                  })
              .bind(new InetSocketAddress("127.0.0.1", 0))
              .sync()
              .channel();
      CompletableFuture<String> echoed = new CompletableFuture<>();
      Channel client =
          new Bootstrap()
              .group(loops.group())
              .channel(loops.socketChannel())
              .handler(
                  new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                      ByteBuf bytes = (ByteBuf) msg;
                      echoed.complete(bytes.toString(StandardCharsets.US_ASCII));
                      bytes.release();
                    }
                  })
              .connect(server.localAddress())
              .sync()
              .channel();
      client.writeAndFlush(Unpooled.copiedBuffer("media", StandardCharsets.US_ASCII));
      assertThat(echoed.get(5, TimeUnit.SECONDS)).isEqualTo("media");
      client.close().sync();
      server.close().sync();
    } finally {
      loops.destroy();
    }
  }
}
