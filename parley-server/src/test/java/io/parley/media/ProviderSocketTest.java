package io.parley.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The provider WebSocket client against a tiny Netty server over real sockets. */
class ProviderSocketTest {

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoop loop = group.next();
  private final TinyWebSocketServer server = new TinyWebSocketServer();
  private final Recording events = new Recording();

  @AfterEach
  void stop() {
    server.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private ProviderSocket connect(URI uri, HttpHeaders headers) {
    return ProviderSocket.connect(
        uri, headers, loop, NioSocketChannel.class, Duration.ofSeconds(2), 65536, events);
  }

  @Test
  void textAndBinaryGoBothWaysWithTheHeadersOnTheHandshakeAndEveryCallbackOnTheLoop() {
    ProviderSocket socket =
        connect(
            server.uri("/v1/listen?model=nova-3&keyterm=Parley%20Health"),
            new DefaultHttpHeaders().add("Authorization", "Token sekrit"));
    await().atMost(Duration.ofSeconds(5)).until(() -> events.has("open"));

    socket.sendText("echo:hello");
    socket.sendBinary(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
    socket.sendText(Unpooled.copiedBuffer("split:a message in two frames", StandardCharsets.UTF_8));

    await().atMost(Duration.ofSeconds(5)).until(() -> events.log.size() == 4);
    assertThat(events.log)
        .containsExactly("open", "text hello", "binary 3", "text a message in two frames");
    assertThat(events.offLoop).isEmpty();
    var upgrade = server.upgrades.getFirst();
    assertThat(upgrade.uri()).isEqualTo("/v1/listen?model=nova-3&keyterm=Parley%20Health");
    assertThat(upgrade.headers().get("Authorization")).isEqualTo("Token sekrit");
    assertThat(upgrade.headers().get("Sec-WebSocket-Extensions")).isNull();
    assertThat(upgrade.protocolVersion().text()).isEqualTo("HTTP/1.1");
  }

  @Test
  void aRefusedHandshakeReportsTheStatusHeadersAndBody() {
    connect(server.uri("/refuse"), null);

    await().atMost(Duration.ofSeconds(5)).until(() -> events.failure != null);
    ProviderSocket.OpenFailure failure = events.failure;
    assertThat(failure.refused()).isTrue();
    assertThat(failure.status()).isEqualTo(401);
    assertThat(failure.header("dg-error")).isEqualTo("Invalid credentials.");
    assertThat(failure.body()).contains("Invalid credentials.");
    assertThat(events.log).containsExactly("open failed 401");
  }

  @Test
  void aConnectionDroppedWithoutACloseFrameIs1006() throws Exception {
    ProviderSocket socket = connect(server.uri("/"), null);
    await().atMost(Duration.ofSeconds(5)).until(() -> events.has("open"));

    socket.sendText("drop");

    await().atMost(Duration.ofSeconds(5)).until(() -> events.has("closed"));
    assertThat(events.log.getLast()).startsWith("closed 1006");
    assertThat(loop.submit(() -> socket.sendText("echo:too late")).get()).isFalse();
  }

  @Test
  void theProvidersCloseFrameIsReportedOnceWithItsCodeAndReason() throws Exception {
    ProviderSocket socket = connect(server.uri("/"), null);
    await().atMost(Duration.ofSeconds(5)).until(() -> events.has("open"));

    socket.sendText("close:4008");

    await().atMost(Duration.ofSeconds(5)).until(() -> events.has("closed"));
    socket.close(1000, "");
    socket.abort();
    Thread.sleep(200);
    assertThat(events.log).containsExactly("open", "closed 4008 bye");
  }

  @Test
  void ourCloseIsAnsweredAndAbortIsReportedAs1006AfterItReturns() {
    ProviderSocket closing = connect(server.uri("/"), null);
    await().atMost(Duration.ofSeconds(5)).until(() -> events.has("open"));
    closing.close(1000, "done");
    await().atMost(Duration.ofSeconds(5)).until(() -> events.has("closed"));
    assertThat(events.log.getLast()).isEqualTo("closed 1000 done");

    events.log.clear();
    ProviderSocket aborted = connect(server.uri("/"), null);
    await().atMost(Duration.ofSeconds(5)).until(() -> events.has("open"));
    List<String> seenInsideAbort = new CopyOnWriteArrayList<>();
    loop.execute(
        () -> {
          aborted.abort();
          seenInsideAbort.addAll(events.log);
        });
    await().atMost(Duration.ofSeconds(5)).until(() -> events.has("closed"));
    assertThat(seenInsideAbort).containsExactly("open");
    assertThat(events.log).containsExactly("open", "closed 1006 aborted");
  }

  @Test
  void nothingListeningAndNoAnswerInTimeAreOpenFailuresWithoutAStatus() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    connect(URI.create("ws://127.0.0.1:" + closedPort + "/"), null);
    await().atMost(Duration.ofSeconds(5)).until(() -> events.failure != null);
    assertThat(events.failure.refused()).isFalse();

    // A server that accepts the connection and never answers the upgrade.
    try (ServerSocket silent = new ServerSocket(0)) {
      Recording quiet = new Recording();
      ProviderSocket.connect(
          URI.create("ws://127.0.0.1:" + silent.getLocalPort() + "/"),
          null,
          loop,
          NioSocketChannel.class,
          Duration.ofMillis(300),
          65536,
          quiet);
      await().atMost(Duration.ofSeconds(5)).until(() -> quiet.failure != null);
      assertThat(quiet.failure.timedOut()).isTrue();
      assertThat(quiet.log).containsExactly("open failed 0");
    }
  }

  @Test
  void wssSpeaksTlsFirstSoAPlainServerIsAnOpenFailureWithoutAStatus() {
    URI plain = server.uri("/");
    connect(URI.create("wss" + plain.toString().substring(2)), null);

    await().atMost(Duration.ofSeconds(5)).until(() -> events.failure != null);
    assertThat(events.failure.refused()).isFalse();
    assertThat(events.failure.cause()).isNotNull();
    // What reached the server was a TLS ClientHello, not an HTTP request.
    assertThat(server.upgrades).allMatch(request -> request.decoderResult().isFailure());
    assertThat(events.log).containsExactly("open failed 0");
  }

  @Test
  void aProviderThatStopsReadingTurnsTheSocketUnwritableWithoutStallingTheLoop() {
    ProviderSocket socket =
        ProviderSocket.connect(
            server.uri("/"),
            null,
            loop,
            NioSocketChannel.class,
            Duration.ofSeconds(2),
            65536,
            8192,
            events);
    await().atMost(Duration.ofSeconds(5)).until(() -> events.has("open"));
    socket.sendText("stall");

    AtomicLong written = new AtomicLong();
    loop.execute(() -> fillUntilUnwritable(socket, written));

    await().atMost(Duration.ofSeconds(20)).until(() -> events.has("unwritable"));
    // The loop still runs other work.
    assertThat(loop.submit(() -> 42).awaitUninterruptibly(1, TimeUnit.SECONDS)).isTrue();
    assertThat(written.get()).isPositive();
    // Closed here, on a running loop, the channel releases the frames it still holds; left to the
    // group's shutdown, their release could be a task the stopping loop no longer runs (a leak
    // that CI's paranoid leak detection reported once).
    socket.abort();
    await().atMost(Duration.ofSeconds(5)).until(() -> events.has("closed"));
  }

  /** Writes 16 KiB messages until the write buffer is above its watermark (on the loop). */
  private static void fillUntilUnwritable(ProviderSocket socket, AtomicLong written) {
    for (int i = 0; i < 64 && socket.isWritable(); i++) {
      socket.sendBinary(Unpooled.wrappedBuffer(new byte[16384]));
      written.addAndGet(16384);
    }
    if (socket.isWritable() && written.get() < 512L * 1024 * 1024) {
      socket.loop().execute(() -> fillUntilUnwritable(socket, written));
    }
  }

  /** Every callback as a line, and any callback that ran off the loop. */
  private final class Recording implements ProviderSocketListener {
    final List<String> log = new CopyOnWriteArrayList<>();
    final List<String> offLoop = new CopyOnWriteArrayList<>();
    volatile ProviderSocket.OpenFailure failure;

    boolean has(String prefix) {
      return log.stream().anyMatch(line -> line.startsWith(prefix));
    }

    private void record(String line) {
      if (!loop.inEventLoop()) {
        offLoop.add(line);
      }
      log.add(line);
    }

    @Override
    public void onOpen(ProviderSocket socket) {
      record("open");
    }

    @Override
    public void onText(ProviderSocket socket, ByteBuf utf8) {
      record("text " + utf8.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void onBinary(ProviderSocket socket, ByteBuf data) {
      record("binary " + data.readableBytes());
    }

    @Override
    public void onWritabilityChanged(ProviderSocket socket, boolean writable) {
      record(writable ? "writable" : "unwritable");
    }

    @Override
    public void onOpenFailed(ProviderSocket socket, ProviderSocket.OpenFailure failure) {
      this.failure = failure;
      record("open failed " + failure.status());
    }

    @Override
    public void onClosed(ProviderSocket socket, int code, String reason) {
      record("closed " + code + " " + reason);
    }
  }
}
