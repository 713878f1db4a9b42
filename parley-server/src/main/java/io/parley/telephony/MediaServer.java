package io.parley.telephony;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.parley.media.MediaLoops;
import io.parley.telephony.twilio.MediaStreamCodec;
import java.net.InetSocketAddress;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The media port ({@code PARLEY_MEDIA_PORT}, default 8081): Twilio's Media Streams sockets on the
 * node's media event loops, apart from the REST API and webhooks on the servlet container. Each
 * accepted socket stays on the loop that accepted it, and so does the call that starts on it.
 */
@Component
public class MediaServer implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(MediaServer.class);

  /** Longest request line and header block accepted on the handshake. */
  static final int MAX_INITIAL_LINE = 4096;

  static final int MAX_HEADERS = 8192;

  private final MediaLoops loops;
  private final StreamAdmissions admissions;
  private final CallStreams streams;
  private final Clock clock;
  private final MediaStreamMetrics metrics;
  private final MediaStreamCodec codec = new MediaStreamCodec();
  private final String address;
  private final int configuredPort;
  private volatile Channel server;
  private volatile int port = -1;

  MediaServer(
      MediaLoops loops,
      StreamAdmissions admissions,
      CallStreams streams,
      Clock clock,
      MeterRegistry meters,
      @Value("${parley.media.address:0.0.0.0}") String address,
      @Value("${parley.media.port:8081}") int port) {
    this.loops = loops;
    this.admissions = admissions;
    this.streams = streams;
    this.clock = clock;
    this.metrics = new MediaStreamMetrics(meters);
    this.address = address;
    this.configuredPort = port;
  }

  @Override
  public void start() {
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(loops.group())
            .channel(loops.serverChannel())
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    pipeline(channel.pipeline());
                  }
                });
    server =
        bootstrap
            .bind(new InetSocketAddress(address, configuredPort))
            .syncUninterruptibly()
            .channel();
    port = ((InetSocketAddress) server.localAddress()).getPort();
    log.info(
        "Media streams on port {} ({} event loops, {})",
        port,
        loops.size(),
        loops.transport().label());
  }

  private void pipeline(ChannelPipeline pipeline) {
    pipeline.addLast(new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADERS, 8192));
    pipeline.addLast(new MediaHandshakeGuard());
    pipeline.addLast(new HttpObjectAggregator(1024));
    pipeline.addLast(
        new WebSocketServerProtocolHandler(
            WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(PublicUrls.MEDIA)
                .checkStartsWith(false)
                .handleCloseFrames(false)
                .dropPongFrames(false)
                .handshakeTimeoutMillis(MediaStreamHandler.START_TIMEOUT.toMillis())
                .decoderConfig(
                    WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(MediaStreamHandler.MAX_MESSAGE_BYTES)
                        .allowExtensions(false)
                        .closeOnProtocolViolation(true)
                        // UTF-8 is checked by the message reader: media messages are ASCII and
                        // anything else is decoded strictly (1007). Netty's validator walked
                        // every byte of every frame (a sixth of the loops' time at 100 calls).
                        .withUTF8Validator(false)
                        .build())
                .build()));
    pipeline.addLast(new WebSocketFrameAggregator(MediaStreamHandler.MAX_MESSAGE_BYTES));
    pipeline.addLast(new MediaStreamHandler(codec, admissions, streams, clock, metrics));
  }

  /** The port the media server listens on (the configured one, or the one picked for 0). */
  public int port() {
    return port;
  }

  @Override
  public void stop() {
    Channel listening = server;
    if (listening != null) {
      listening.close().syncUninterruptibly();
      server = null;
    }
  }

  @Override
  public boolean isRunning() {
    return server != null;
  }

  /** Before the servlet container, so a voice webhook never names a port nobody listens on. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 2048;
  }
}
