package io.parley.sim.http;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A simulator's public port, held by a Netty event loop: the WebSocket paths named here are served
 * on the loop itself (each socket's frames are read and handled there, with no thread hand-off per
 * frame), and every other connection is relayed byte for byte to the simulator's Jetty server on a
 * private loopback port, so its HTTP behaviour (keep-alive connections closed when idle, h2c
 * refused, the counters) is exactly what it was. Half-closes pass through the relay both ways.
 *
 * <p>Which a connection is, is decided on its first request: a WebSocket upgrade to a path named
 * here is served here; anything else is relayed for the connection's whole life.
 */
public final class SocketFront implements AutoCloseable {

  /** Decides a WebSocket handshake on a path: refuse it, or accept it with a session. */
  @FunctionalInterface
  public interface Endpoint {
    Handshake handshake(Upgrade request);
  }

  /** The handshake request as an endpoint sees it. */
  public record Upgrade(String path, String query, HttpHeaders headers) {
    public String header(String name) {
      return headers.get(name);
    }

    /** The subprotocols the client offered, in order. */
    public List<String> subprotocols() {
      String offered = headers.get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
      return offered == null
          ? List.of()
          : Arrays.stream(offered.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
  }

  /** An endpoint's answer to a handshake. */
  public sealed interface Handshake {}

  /** An HTTP answer instead of the upgrade; the connection is closed after it. */
  public record Refuse(int status, Map<String, String> headers, String body) implements Handshake {}

  /** The upgrade, choosing {@code subprotocol} (or none) and handing the socket to a session. */
  public record Accept(String subprotocol, Session session) implements Handshake {}

  /** What a session hears from its socket; every call comes on the socket's event loop. */
  public interface Session {
    /** The socket is open; {@code out} sends on it, {@code loop} is the thread it lives on. */
    void open(SocketOut out, EventLoop loop);

    void binary(byte[] bytes);

    void text(String text);

    /** The socket is gone (a close from either side, or the connection lost). */
    void closed();
  }

  private final EventLoopGroup group;
  private final Class<? extends Channel> clientChannel;
  private final Channel server;
  private final String backendHost;
  private final int backendPort;
  private final Map<String, Endpoint> endpoints;
  private final String name;

  private SocketFront(
      String name, String host, int port, URI backend, Map<String, Endpoint> endpoints) {
    this.name = name;
    this.backendHost = backend.getHost();
    this.backendPort = backend.getPort();
    this.endpoints = Map.copyOf(endpoints);
    IoHandlerFactory io;
    Class<? extends ServerChannel> serverChannel;
    if (Epoll.isAvailable()) {
      io = EpollIoHandler.newFactory();
      serverChannel = EpollServerSocketChannel.class;
      clientChannel = EpollSocketChannel.class;
    } else {
      io = NioIoHandler.newFactory();
      serverChannel = NioServerSocketChannel.class;
      clientChannel = NioSocketChannel.class;
    }
    group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("sim-" + name, true), io);
    try {
      server =
          new ServerBootstrap()
              .group(group)
              .channel(serverChannel)
              .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline()
                          .addLast("record", new Recorder())
                          .addLast("http", new HttpServerCodec())
                          .addLast("aggregate", new HttpObjectAggregator(1 << 20))
                          .addLast("decide", new Decider());
                    }
                  })
              .bind(host, port)
              .syncUninterruptibly()
              .channel();
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw new IllegalStateException("cannot start the " + name + " simulator's front", e);
    }
  }

  /**
   * Starts a front on {@code host:port} (0: a free port) for the Jetty server at {@code backend}
   * (its base URI), which serves everything but {@code endpoints}.
   */
  public static SocketFront start(
      String name, String host, int port, URI backend, Map<String, Endpoint> endpoints) {
    return new SocketFront(name, host, port, backend, endpoints);
  }

  public URI baseUri() {
    InetSocketAddress at = (InetSocketAddress) server.localAddress();
    String host = at.getAddress().isAnyLocalAddress() ? "127.0.0.1" : at.getHostString();
    return URI.create("http://" + host + ":" + at.getPort());
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Keeps a copy of every byte read until the connection's first request is decided. */
  private static final class Recorder extends ChannelInboundHandlerAdapter {
    private CompositeByteBuf raw;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf buf) {
        if (raw == null) {
          raw = ctx.alloc().compositeBuffer();
        }
        raw.addComponent(true, buf.copy());
      }
      ctx.fireChannelRead(msg);
    }

    ByteBuf take() {
      ByteBuf out = raw == null ? Unpooled.EMPTY_BUFFER : raw;
      raw = null;
      return out;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      if (raw != null) {
        raw.release();
        raw = null;
      }
    }
  }

  /** Serves a WebSocket upgrade to a named path here, or relays the connection to Jetty. */
  private final class Decider extends ChannelInboundHandlerAdapter {
    private boolean decided;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (decided || !(msg instanceof FullHttpRequest request)) {
        // bytes the HTTP decoder still held: the recorder has them too
        io.netty.util.ReferenceCountUtil.release(msg);
        return;
      }
      decided = true;
      try {
        String uri = request.uri();
        int q = uri.indexOf('?');
        String path = q < 0 ? uri : uri.substring(0, q);
        String query = q < 0 ? null : uri.substring(q + 1);
        Endpoint endpoint = endpoints.get(path);
        boolean upgrade =
            "websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE));
        if (endpoint != null && upgrade) {
          ctx.pipeline().remove("record");
          serve(ctx, request, endpoint.handshake(new Upgrade(path, query, request.headers())));
        } else {
          relay(ctx);
        }
      } finally {
        request.release();
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  private void serve(ChannelHandlerContext ctx, FullHttpRequest request, Handshake handshake) {
    Channel ch = ctx.channel();
    switch (handshake) {
      case Refuse refuse -> {
        byte[] body = refuse.body().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response =
            new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(refuse.status()),
                Unpooled.wrappedBuffer(body));
        refuse.headers().forEach((k, v) -> response.headers().set(k, v));
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        response.headers().set(HttpHeaderNames.CONNECTION, "close");
        ch.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      }
      case Accept accept -> {
        String url = "ws://" + request.headers().get(HttpHeaderNames.HOST) + request.uri();
        WebSocketServerHandshaker handshaker =
            new WebSocketServerHandshakerFactory(url, accept.subprotocol(), false, 1 << 20)
                .newHandshaker(request);
        if (handshaker == null) {
          WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ch);
          return;
        }
        // half-closes are for the relay; a WebSocket whose client has gone is closed
        ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
        ChannelPipeline p = ctx.pipeline();
        p.remove("decide");
        p.addLast("frames", new WebSocketFrameAggregator(1 << 20));
        p.addLast("session", new SessionHandler(accept.session()));
        handshaker
            .handshake(ch, request)
            .addListener(
                f -> {
                  if (f.isSuccess()) {
                    accept.session().open(new ChannelSocketOut(ch), ch.eventLoop());
                  } else {
                    ch.close();
                  }
                });
      }
    }
  }

  /** Hands a socket's frames to its session, answers pings and closes. */
  private static final class SessionHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private final Session session;
    private boolean closed;

    SessionHandler(Session session) {
      this.session = session;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      switch (frame) {
        case BinaryWebSocketFrame b -> session.binary(ByteBufUtil.getBytes(b.content()));
        case TextWebSocketFrame t -> session.text(t.text());
        case PingWebSocketFrame ping ->
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
        case CloseWebSocketFrame close -> {
          // answer with the same code, then the connection ends
          ctx.writeAndFlush(
                  new CloseWebSocketFrame(
                      close.statusCode() < 0 ? 1000 : close.statusCode(), close.reasonText()))
              .addListener(ChannelFutureListener.CLOSE);
          end();
        }
        default -> {}
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      end();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        ctx.close();
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    private void end() {
      if (!closed) {
        closed = true;
        session.closed();
      }
    }
  }

  /**
   * What the relay reads at once: as much as a segment can carry, so what one side wrote in one
   * piece goes on in one piece (a small adaptive read buffer would split a WebSocket frame across
   * two writes, which the client then sees as two partial messages).
   */
  private static final int RELAY_READ = 64 * 1024;

  /** Moves the connection to Jetty: the bytes read so far, then everything both ways. */
  private void relay(ChannelHandlerContext ctx) {
    Channel front = ctx.channel();
    front.config().setAutoRead(false);
    ByteBuf raw = ((Recorder) ctx.pipeline().get("record")).take();
    new Bootstrap()
        .group(front.eventLoop())
        .channel(clientChannel)
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RELAY_READ))
        .handler(new Relay(front))
        .connect(backendHost, backendPort)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                raw.release();
                front.close();
                return;
              }
              Channel backend = ((io.netty.channel.ChannelFuture) f).channel();
              ChannelPipeline p = front.pipeline();
              p.remove("record");
              p.remove("http");
              p.remove("aggregate");
              p.remove("decide");
              p.addLast("relay", new Relay(backend));
              front.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(RELAY_READ));
              backend.writeAndFlush(raw);
              front.config().setAutoRead(true);
              backend.config().setAutoRead(true);
            });
  }

  /** Copies one side's bytes to the other; a half-close or close is passed on. */
  private static final class Relay extends ChannelInboundHandlerAdapter {
    private final Channel peer;

    Relay(Channel peer) {
      this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      peer.writeAndFlush(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        if (peer instanceof DuplexChannel duplex && peer.isActive()) {
          peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> duplex.shutdownOutput());
        }
        if (ctx.channel() instanceof DuplexChannel self && self.isOutputShutdown()) {
          ctx.close();
        }
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (peer.isActive()) {
        peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  @Override
  public String toString() {
    return "SocketFront[" + name + " " + baseUri() + "]";
  }
}
