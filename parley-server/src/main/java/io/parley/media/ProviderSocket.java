package io.parley.media;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket client for a provider's streaming API (Deepgram's live transcription, ElevenLabs'
 * streaming synthesis), living on one event loop: the loop of the call it serves. Its reads, its
 * writes, its timers and every {@link ProviderSocketListener} callback run on that loop, so a frame
 * from the caller can be written to the provider on the thread that read it, without a queue.
 *
 * <p>HTTP/1.1 upgrade (version 13, no compression extension); {@code wss} over the JDK's TLS with
 * SNI and host name verification. The host name is resolved off the loop (a slow DNS answer must
 * not stall the other calls on it).
 *
 * <p>The send methods, {@link #isWritable} and {@link #close} are meant to be called on the loop;
 * from another thread they hop to it (a task per call: fine for control, not for audio).
 */
public final class ProviderSocket {

  /** The code reported when a connection ended without a close frame (RFC 6455 7.4.1). */
  public static final int ABNORMAL_CLOSURE = 1006;

  /** The default write-buffer high watermark; the low one is half of it. */
  public static final int DEFAULT_HIGH_WATERMARK = 64 * 1024;

  private static final Logger log = LoggerFactory.getLogger(ProviderSocket.class);

  // An error page bigger than this is not worth reading; the status is what matters.
  private static final int MAX_HANDSHAKE_RESPONSE = 64 * 1024;
  private static final int MAX_ERROR_BODY_CHARS = 512;
  // How long a close frame we sent may wait for the provider's before the connection is cut.
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
  private static final Executor RESOLVER = Executors.newVirtualThreadPerTaskExecutor();

  /**
   * Why a socket never opened.
   *
   * @param status the HTTP status of a refused handshake; 0 when no HTTP answer came (the host
   *     could not be resolved or reached, TLS failed, nothing answered in time, or it was aborted)
   * @param headers the refusal's response headers (empty when there was no answer)
   * @param body the start of the refusal's response body (empty when none)
   * @param cause what failed, for logs
   */
  public record OpenFailure(int status, HttpHeaders headers, String body, Throwable cause) {

    /** The provider answered the handshake, with something other than a switch to WebSocket. */
    public boolean refused() {
      return status > 0;
    }

    /** Nothing answered within the connect timeout. */
    public boolean timedOut() {
      return cause instanceof ConnectTimeoutException;
    }

    /** A response header of the refusal, or null. */
    public String header(String name) {
      return headers.get(name);
    }
  }

  private enum State {
    CONNECTING,
    OPEN,
    CLOSING,
    ENDED
  }

  private final URI uri;
  private final HttpHeaders headers;
  private final EventLoop loop;
  private final Class<? extends SocketChannel> channelType;
  private final Duration connectTimeout;
  private final int maxFramePayload;
  private final int highWatermark;
  private final ProviderSocketListener listener;
  private final boolean tls;
  private final String host;
  private final int port;

  // Owned by the loop.
  private State state = State.CONNECTING;
  private Channel channel;
  private WebSocketClientHandshaker handshaker;
  private ScheduledFuture<?> deadline;
  private int closeCode = ABNORMAL_CLOSURE;
  private String closeReason = "the connection ended without a close frame";

  private ProviderSocket(
      URI uri,
      HttpHeaders headers,
      EventLoop loop,
      Class<? extends SocketChannel> channelType,
      Duration connectTimeout,
      int maxFramePayload,
      int highWatermark,
      ProviderSocketListener listener) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("ws") && !scheme.equals("wss")) {
      throw new IllegalArgumentException("Not a WebSocket address: " + scheme + "://...");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("A WebSocket address needs a host");
    }
    this.uri = uri;
    this.headers = headers == null ? EmptyHttpHeaders.INSTANCE : headers;
    this.loop = loop;
    this.channelType = channelType;
    this.connectTimeout = connectTimeout;
    this.maxFramePayload = maxFramePayload;
    this.highWatermark = highWatermark;
    this.listener = listener;
    this.tls = scheme.equals("wss");
    this.host = uri.getHost();
    this.port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
  }

  /**
   * Starts connecting and returns at once; the outcome arrives on {@code loop} as {@link
   * ProviderSocketListener#onOpen} or {@link ProviderSocketListener#onOpenFailed}. Callable from
   * any thread.
   *
   * @param uri a {@code ws://} or {@code wss://} address; its path and query are sent as they are
   * @param headers extra handshake headers ({@code Authorization}, ...); may be null
   * @param channelType the socket type matching {@code loop}'s transport ({@link #channelTypeFor})
   * @param connectTimeout the longest wait for the whole opening: DNS, TCP, TLS and the upgrade
   * @param maxFramePayload the largest message accepted from the provider, in bytes
   */
  public static ProviderSocket connect(
      URI uri,
      HttpHeaders headers,
      EventLoop loop,
      Class<? extends SocketChannel> channelType,
      Duration connectTimeout,
      int maxFramePayload,
      ProviderSocketListener listener) {
    return connect(
        uri,
        headers,
        loop,
        channelType,
        connectTimeout,
        maxFramePayload,
        DEFAULT_HIGH_WATERMARK,
        listener);
  }

  /**
   * As {@link #connect(URI, HttpHeaders, EventLoop, Class, Duration, int, ProviderSocketListener)},
   * with the write-buffer high watermark above which {@link #isWritable} turns false.
   */
  public static ProviderSocket connect(
      URI uri,
      HttpHeaders headers,
      EventLoop loop,
      Class<? extends SocketChannel> channelType,
      Duration connectTimeout,
      int maxFramePayload,
      int highWatermark,
      ProviderSocketListener listener) {
    ProviderSocket socket =
        new ProviderSocket(
            uri,
            headers,
            loop,
            channelType,
            connectTimeout,
            maxFramePayload,
            highWatermark,
            listener);
    socket.start();
    return socket;
  }

  /** The client socket type for a loop: the type of the loop's own transport. */
  public static Class<? extends SocketChannel> channelTypeFor(EventLoop loop) {
    return MediaTransport.socketChannelFor(loop);
  }

  /** The loop every callback of this socket runs on. */
  public EventLoop loop() {
    return loop;
  }

  /** Whether the handshake is done and no close has begun (on the loop). */
  public boolean isOpen() {
    return state == State.OPEN;
  }

  /**
   * Whether the socket is open and its write buffer is below the high watermark: false means the
   * provider (or the network) is not keeping up, and writing more only queues more in memory.
   */
  public boolean isWritable() {
    return state == State.OPEN && channel.isWritable();
  }

  /**
   * Sends one text message. Returns false, sending nothing, when the socket is not open. A failed
   * write ends the connection ({@link ProviderSocketListener#onClosed} with 1006).
   */
  public boolean sendText(String text) {
    if (!loop.inEventLoop()) {
      loop.execute(() -> sendText(text));
      return true;
    }
    if (state != State.OPEN) {
      return false;
    }
    channel.writeAndFlush(
        new TextWebSocketFrame(ByteBufUtil.writeUtf8(channel.alloc(), text)),
        channel.voidPromise());
    return true;
  }

  /** Sends one text message of UTF-8 bytes; the buffer is the socket's from now on (released). */
  public boolean sendText(ByteBuf utf8) {
    return send(utf8, true);
  }

  /** Sends one binary message; the buffer is the socket's from now on (released). */
  public boolean sendBinary(ByteBuf data) {
    return send(data, false);
  }

  private boolean send(ByteBuf data, boolean text) {
    if (!loop.inEventLoop()) {
      try {
        loop.execute(() -> send(data, text));
        return true;
      } catch (RejectedExecutionException e) {
        data.release();
        return false;
      }
    }
    if (state != State.OPEN) {
      data.release();
      return false;
    }
    // The void promise: no promise object per frame; a failed write reaches exceptionCaught.
    channel.writeAndFlush(
        text ? new TextWebSocketFrame(data) : new BinaryWebSocketFrame(data),
        channel.voidPromise());
    return true;
  }

  /**
   * Starts the closing handshake: sends a close frame and waits a moment for the provider's before
   * cutting the connection. Before the socket opened, the same as {@link #abort}. Idempotent.
   */
  public void close(int code, String reason) {
    if (!loop.inEventLoop()) {
      loop.execute(() -> close(code, reason));
      return;
    }
    switch (state) {
      case CONNECTING -> abort();
      case OPEN -> {
        state = State.CLOSING;
        channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
        closeReason = "no close frame answered ours within " + CLOSE_WAIT.toMillis() + " ms";
        loop.schedule(() -> channel.close(), CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
      case CLOSING, ENDED -> {}
    }
  }

  /**
   * Cuts the connection at once, without a close frame. The terminal callback still comes, in a
   * later task on the loop ({@code onClosed(1006, "aborted")}, or {@code onOpenFailed} before the
   * socket opened), never from inside this call. Idempotent; callable from any thread.
   */
  public void abort() {
    if (!loop.inEventLoop()) {
      loop.execute(this::abort);
      return;
    }
    if (state == State.ENDED) {
      return;
    }
    boolean wasOpen = state != State.CONNECTING;
    end();
    if (channel != null) {
      channel.close();
    }
    loop.execute(
        () -> {
          if (wasOpen) {
            closed(ABNORMAL_CLOSURE, "aborted");
          } else {
            openFailed(
                new OpenFailure(
                    0, EmptyHttpHeaders.INSTANCE, "", new CancellationException("aborted")));
          }
        });
  }

  @Override
  public String toString() {
    return "ProviderSocket[" + host + ":" + port + " " + state + "]";
  }

  // ---- opening ----

  private void start() {
    if (!loop.inEventLoop()) {
      loop.execute(this::start);
      return;
    }
    deadline =
        loop.schedule(
            () ->
                failOpening(
                    new ConnectTimeoutException(
                        "no WebSocket handshake within " + connectTimeout.toMillis() + " ms")),
            connectTimeout.toMillis(),
            TimeUnit.MILLISECONDS);
    RESOLVER.execute(this::resolve);
  }

  /** Off the loop: the JDK's resolver blocks. */
  private void resolve() {
    try {
      InetAddress address = InetAddress.getByName(host);
      onLoop(() -> connectTo(new InetSocketAddress(address, port)));
    } catch (Exception e) {
      onLoop(() -> failOpening(e));
    }
  }

  private void onLoop(Runnable task) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("{}: the loop is shut down", this);
    }
  }

  private void connectTo(InetSocketAddress address) {
    if (state != State.CONNECTING) {
      return;
    }
    handshaker =
        WebSocketClientHandshakerFactory.newHandshaker(
            uri,
            WebSocketVersion.V13,
            null,
            false,
            headers,
            maxFramePayload,
            true,
            false,
            -1,
            false,
            false);
    ChannelFuture connecting =
        new Bootstrap()
            .group(loop)
            .channel(channelType)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
            // Audio is latency-bound: a 160-byte frame must not wait for Nagle.
            .option(ChannelOption.TCP_NODELAY, true)
            .option(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(highWatermark / 2, highWatermark))
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ChannelPipeline pipeline = ch.pipeline();
                    if (tls) {
                      pipeline.addLast(tlsHandler(ch));
                    }
                    pipeline.addLast(new HttpClientCodec());
                    pipeline.addLast(new HttpObjectAggregator(MAX_HANDSHAKE_RESPONSE));
                    pipeline.addLast("provider-socket", new Handler());
                  }
                })
            .connect(address);
    channel = connecting.channel();
    connecting.addListener(
        done -> {
          if (!done.isSuccess()) {
            failOpening(done.cause());
          }
        });
  }

  private SslHandler tlsHandler(SocketChannel ch) {
    // host and port give SNI; HTTPS endpoint identification checks the certificate's name.
    SslHandler handler = Tls.CLIENT.newHandler(ch.alloc(), host, port);
    SSLEngine engine = handler.engine();
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(parameters);
    return handler;
  }

  private void handshakeAnswered(ChannelHandlerContext ctx, FullHttpResponse response) {
    try {
      handshaker.finishHandshake(ctx.channel(), response);
    } catch (WebSocketClientHandshakeException e) {
      int status = response.status().code();
      String body = response.content().toString(StandardCharsets.UTF_8);
      refuse(
          new OpenFailure(
              status,
              response.headers().copy(),
              body.length() > MAX_ERROR_BODY_CHARS ? body.substring(0, MAX_ERROR_BODY_CHARS) : body,
              e));
      return;
    }
    // Providers may split a message into continuation frames; the listener gets it whole.
    ctx.pipeline()
        .addBefore(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(maxFramePayload));
    deadline.cancel(false);
    state = State.OPEN;
    call(() -> listener.onOpen(this));
  }

  private void refuse(OpenFailure failure) {
    if (state != State.CONNECTING) {
      return;
    }
    end();
    channel.close();
    openFailed(failure);
  }

  private void failOpening(Throwable cause) {
    if (state != State.CONNECTING) {
      return;
    }
    end();
    if (channel != null) {
      channel.close();
    }
    openFailed(new OpenFailure(0, EmptyHttpHeaders.INSTANCE, "", cause));
  }

  // ---- the end ----

  private void end() {
    state = State.ENDED;
    if (deadline != null) {
      deadline.cancel(false);
    }
  }

  private void openFailed(OpenFailure failure) {
    try {
      listener.onOpenFailed(this, failure);
    } catch (RuntimeException e) {
      log.warn("{}: the listener failed on onOpenFailed", this, e);
    }
  }

  private void closed(int code, String reason) {
    try {
      listener.onClosed(this, code, reason);
    } catch (RuntimeException e) {
      log.warn("{}: the listener failed on onClosed", this, e);
    }
  }

  /** Runs a listener callback; one that throws cannot leave the socket half working. */
  private void call(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      log.warn("{}: the listener failed; aborting the socket", this, e);
      abort();
    }
  }

  /** Built on first use: a node that only speaks {@code ws://} never sets TLS up. */
  private static final class Tls {
    static final SslContext CLIENT = build();

    private static SslContext build() {
      try {
        // The JDK's TLS: no native library to ship; its trust store and its protocols.
        return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).build();
      } catch (SSLException e) {
        throw new IllegalStateException("The JDK's TLS client could not be set up", e);
      }
    }
  }

  private static String describe(Throwable error) {
    return error.getClass().getSimpleName()
        + (error.getMessage() == null ? "" : " " + error.getMessage());
  }

  /** The last handler of the pipeline: the handshake answer, then the provider's messages. */
  private final class Handler extends ChannelInboundHandlerAdapter {

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      if (state == State.CONNECTING) {
        handshaker.handshake(ctx.channel());
      }
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        read(ctx, msg);
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    private void read(ChannelHandlerContext ctx, Object msg) {
      if (state == State.CONNECTING && msg instanceof FullHttpResponse response) {
        handshakeAnswered(ctx, response);
        return;
      }
      if (state != State.OPEN && state != State.CLOSING) {
        return;
      }
      switch (msg) {
        case TextWebSocketFrame text ->
            call(() -> listener.onText(ProviderSocket.this, text.content()));
        case BinaryWebSocketFrame binary ->
            call(() -> listener.onBinary(ProviderSocket.this, binary.content()));
        case PingWebSocketFrame ping ->
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
        case CloseWebSocketFrame close -> closeReceived(ctx, close);
        default -> {}
      }
    }

    private void closeReceived(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
      closeCode = close.statusCode() < 0 ? 1005 : close.statusCode();
      closeReason = close.reasonText() == null ? "" : close.reasonText();
      if (state == State.OPEN) {
        state = State.CLOSING;
        // Echo the close (RFC 6455 5.5.1), then end the connection: the provider is done.
        ctx.writeAndFlush(new CloseWebSocketFrame(closeCode == 1005 ? 1000 : closeCode, ""))
            .addListener(done -> ctx.close());
      } else {
        ctx.close();
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (state == State.OPEN) {
        boolean writable = ctx.channel().isWritable();
        call(() -> listener.onWritabilityChanged(ProviderSocket.this, writable));
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      switch (state) {
        case CONNECTING ->
            failOpening(new IOException("the connection closed during the WebSocket handshake"));
        case OPEN, CLOSING -> {
          end();
          closed(closeCode, closeReason);
        }
        case ENDED -> {}
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      switch (state) {
        case CONNECTING -> failOpening(cause);
        case OPEN, CLOSING -> {
          log.debug("{}: {}", ProviderSocket.this, describe(cause));
          if (closeCode == ABNORMAL_CLOSURE) {
            closeReason = "the connection failed: " + describe(cause);
          }
          ctx.close();
        }
        case ENDED -> {}
      }
    }
  }
}
