package io.parley.media;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A WebSocket server for client tests, on its own loop: {@code /refuse} answers the upgrade with
 * 401; everything else upgrades, and each text message is a command: {@code echo:...}, {@code
 * split:...} (the answer in two frames), {@code close:<code>}, {@code drop} (no close frame),
 * {@code stall} (stops reading). Binary messages are echoed.
 */
public final class TinyWebSocketServer implements AutoCloseable {

  final List<FullHttpRequest> upgrades = new CopyOnWriteArrayList<>();
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;

  public TinyWebSocketServer() {
    this(ch -> {});
  }

  /** A provider that accepts the upgrade and then never reads again: a stuck server. */
  public static TinyWebSocketServer stalling() {
    return new TinyWebSocketServer(
        ch ->
            ch.pipeline()
                .addLast(
                    new ChannelInboundHandlerAdapter() {
                      @Override
                      public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                          ctx.channel().config().setAutoRead(false);
                        }
                        ctx.fireUserEventTriggered(event);
                      }
                    }));
  }

  /** {@code extra} adds handlers at the end of each connection's pipeline. */
  private TinyWebSocketServer(Consumer<SocketChannel> extra) {
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536));
                    ch.pipeline().addLast(new Recorder());
                    ch.pipeline()
                        .addLast(
                            new WebSocketServerProtocolHandler(
                                WebSocketServerProtocolConfig.newBuilder()
                                    .websocketPath("/")
                                    .checkStartsWith(true)
                                    // "drop" must end the connection without a close frame.
                                    .sendCloseFrame(null)
                                    .build()),
                            new Commands());
                    extra.accept(ch);
                  }
                })
            .childOption(ChannelOption.TCP_NODELAY, true)
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .syncUninterruptibly()
            .channel();
  }

  public URI uri(String path) {
    return URI.create(
        "ws://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort() + path);
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Keeps every upgrade request; refuses {@code /refuse}. */
  private final class Recorder extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      // Line, headers and decoder result only: a copied body would be a buffer nobody releases.
      upgrades.add(request.replace(Unpooled.EMPTY_BUFFER));
      if (request.uri().startsWith("/refuse")) {
        var response =
            new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.UNAUTHORIZED,
                Unpooled.copiedBuffer(
                    "{\"err_msg\":\"Invalid credentials.\"}", StandardCharsets.UTF_8));
        response.headers().set("dg-error", "Invalid credentials.");
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        ctx.writeAndFlush(response);
        return;
      }
      ctx.fireChannelRead(request.retain());
    }
  }

  private static final class Commands extends SimpleChannelInboundHandler<WebSocketFrame> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (frame instanceof BinaryWebSocketFrame binary) {
        ctx.writeAndFlush(new BinaryWebSocketFrame(binary.content().retain()));
        return;
      }
      if (!(frame instanceof TextWebSocketFrame text)) {
        return;
      }
      String command = text.text();
      if (command.startsWith("echo:")) {
        ctx.writeAndFlush(new TextWebSocketFrame(command.substring(5)));
      } else if (command.startsWith("split:")) {
        String answer = command.substring(6);
        int half = answer.length() / 2;
        ctx.write(new TextWebSocketFrame(false, 0, answer.substring(0, half)));
        ctx.writeAndFlush(new ContinuationWebSocketFrame(true, 0, answer.substring(half)));
      } else if (command.startsWith("close:")) {
        ctx.writeAndFlush(new CloseWebSocketFrame(Integer.parseInt(command.substring(6)), "bye"));
      } else if (command.equals("drop")) {
        ctx.channel().close();
      } else if (command.equals("stall")) {
        ctx.channel().config().setAutoRead(false);
      }
    }
  }
}
