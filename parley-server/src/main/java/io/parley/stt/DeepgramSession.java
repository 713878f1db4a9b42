package io.parley.stt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.ScheduledFuture;
import io.parley.media.ProviderSocket;
import io.parley.media.ProviderSocketListener;
import io.parley.providers.ProviderEndpoint;
import io.parley.shared.LogSafe;
import io.parley.shared.SecretScrubber;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's live transcription over Deepgram's {@code /v1/listen} WebSocket.
 *
 * <p>Threads: the session lives on the call's event loop. Its socket, its timers (KeepAlive, the
 * finish deadline, reconnect backoff, the stall check) and its listener calls all run there, so its
 * state needs no lock and a frame handed to {@link #send} on the loop goes to the socket at once.
 * Only {@link #finish} and {@link #close} may come from other threads: they hop to the loop. The
 * one lock, {@link #delivery}, is there so that {@link #close} from another thread can promise that
 * no event is being delivered once it returns; on the loop it is never contended.
 *
 * <p>No word is lost to a dropped socket: every frame is kept in {@link AudioHistory}, and the
 * session records how far Deepgram has committed the audio ({@code start + duration} of final
 * results). A new socket first gets the audio after that point, and its results are shifted by
 * where that replay started, so they stay on the call's timeline.
 */
final class DeepgramSession implements SttSession {

  private static final Logger log = LoggerFactory.getLogger(DeepgramSession.class);

  private static final String KEEP_ALIVE = "{\"type\":\"KeepAlive\"}";
  private static final String CLOSE_STREAM = "{\"type\":\"CloseStream\"}";
  private static final int BYTES_PER_MS = 8;
  private static final int FRAME_BYTES = 160;
  // A masked client binary frame of 160 bytes takes 166 on the wire.
  private static final int FRAME_WIRE_BYTES = FRAME_BYTES + 6;
  // Replayed audio goes out in 400 ms binary frames: faster than real time, still small.
  private static final int REPLAY_CHUNK = 3200;
  // Deepgram's messages are small JSON; a long transcript with word timings stays far below this.
  private static final int MAX_MESSAGE_BYTES = 1 << 20;

  // A socket that stayed up this long worked, even if it never had anything to say.
  /** How long the socket's buffer may stay over its limit before frames are dropped. */
  static final long BEHIND_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

  private static final long HEALTHY_NANOS = Duration.ofSeconds(5).toNanos();

  private final DeepgramSpeechToText adapter;
  private final SttListener listener;
  private final EventLoop loop;
  private final SttProperties properties;
  private final SttMetrics metrics;
  private final URI uri;
  private final HttpHeaders headers;
  private final String secret;
  private final String unavailable;
  private final String name;
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private final ReentrantLock delivery = new ReentrantLock();
  // Written by finish and close from any thread; read per frame on the loop.
  private volatile boolean accepting = true;
  private volatile boolean silenced;

  // Owned by the loop.
  private final AudioHistory history;
  private Connection current;
  private Connection pending;
  private boolean stopped;
  private boolean finishing;
  private boolean droppingLogged;
  private boolean unreadableLogged;
  private long committedBytes;
  private int oldestLive;
  private long lastWrite;
  // When the socket's buffer went over its limit (0: it is under it).
  private long unwritableSince;
  private int failures;
  private int attemptsSinceDrop;
  private boolean everConnected;
  private int generation;
  private ScheduledFuture<?> keepAlive;
  private ScheduledFuture<?> finishDeadline;
  private ScheduledFuture<?> nextAttempt;

  DeepgramSession(
      DeepgramSpeechToText adapter,
      SttSpec spec,
      SttListener listener,
      EventLoop loop,
      ProviderEndpoint endpoint,
      String unavailable) {
    this.adapter = adapter;
    this.listener = listener;
    this.loop = loop;
    this.properties = adapter.properties();
    this.metrics = adapter.metrics();
    this.unavailable = unavailable;
    this.uri = endpoint == null ? null : DeepgramListenUri.of(endpoint.baseUrl(), spec);
    this.secret = endpoint == null ? null : endpoint.apiKey().reveal();
    this.headers =
        endpoint == null ? null : new DefaultHttpHeaders().add("Authorization", "Token " + secret);
    this.name =
        spec.callSid() != null ? spec.callSid() : UUID.randomUUID().toString().substring(0, 8);
    this.history = new AudioHistory(properties.replayBytes());
  }

  void start() {
    execute(
        () -> {
          if (unavailable != null) {
            fail(false, unavailable);
          } else {
            connect();
          }
        });
  }

  // ---- the SttSession API ----

  @Override
  public void send(ByteBuf frame) {
    if (!loop.inEventLoop()) {
      try {
        loop.execute(() -> send(frame));
      } catch (RejectedExecutionException e) {
        frame.release();
      }
      return;
    }
    if (!accepting || stopped || !frame.isReadable()) {
      frame.release();
      return;
    }
    Connection connection = current;
    // A socket whose close has begun gets nothing more; the frame waits in the history for the
    // next.
    boolean open = connection != null && connection.socket.isOpen();
    if (open && behind(connection)) {
      // Not on the timeline: Deepgram's clock for this socket does not see the frame either.
      metrics.framesDropped(
          "queue_full", Math.max(1.0, frame.readableBytes() / (double) FRAME_BYTES));
      if (!droppingLogged) {
        droppingLogged = true;
        log.warn("STT {}: Deepgram's socket is not keeping up; dropping caller audio", name);
      }
      frame.release();
      return;
    }
    history.append(frame);
    if (!open) {
      // Kept in the history: the socket being (re)opened gets it first.
      frame.release();
      return;
    }
    connection.socket.sendBinary(frame);
    lastWrite = System.nanoTime();
  }

  /**
   * Whether Deepgram has stopped keeping up: the socket's buffer has stayed over its limit for
   * {@link #BEHIND_GRACE_NANOS}. A replay after a reconnect fills the buffer for a moment on its
   * own; dropping the live frames behind it would shift the rest of the call's timeline.
   */
  private boolean behind(Connection connection) {
    if (connection.socket.isWritable()) {
      unwritableSince = 0;
      return false;
    }
    long now = System.nanoTime();
    if (unwritableSince == 0) {
      unwritableSince = now;
    }
    return now - unwritableSince > BEHIND_GRACE_NANOS;
  }

  @Override
  public CompletableFuture<Void> finish() {
    accepting = false;
    execute(this::startFinishing);
    return finished.copy();
  }

  @Override
  public void close() {
    accepting = false;
    delivery.lock();
    try {
      silenced = true;
    } finally {
      delivery.unlock();
    }
    execute(this::stop);
  }

  /** Runs a task on the loop: at once when already there. */
  private void execute(Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
      return;
    }
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      // The loops are shutting down with the application: nothing will run any more.
      finished.complete(null);
      adapter.ended(this);
    }
  }

  // ---- sockets (on the loop) ----

  private void connect() {
    Connection connection = new Connection(++generation);
    pending = connection;
    if (everConnected) {
      attemptsSinceDrop++;
    }
    connection.socket =
        ProviderSocket.connect(
            uri,
            headers,
            loop,
            ProviderSocket.channelTypeFor(loop),
            properties.connectTimeout(),
            MAX_MESSAGE_BYTES,
            Math.max(2 * FRAME_WIRE_BYTES, properties.sendQueueFrames() * FRAME_WIRE_BYTES),
            connection);
  }

  private void opened(Connection connection) {
    if (connection != pending || stopped) {
      connection.socket.abort();
      return;
    }
    pending = null;
    connection.counted = true;
    connection.openedAt = System.nanoTime();
    metrics.socketOpened();
    // From here on the old sockets' results are ignored: the replay below brings them again.
    oldestLive = connection.id;
    long from = committedBytes;
    if (from < history.start()) {
      long lost = history.start() - from;
      metrics.framesDropped("gap_too_long", lost / (double) FRAME_BYTES);
      log.warn(
          "STT {}: {} ms of caller audio were older than the replay buffer and are lost",
          name,
          lost / BYTES_PER_MS);
      from = history.start();
    }
    // Set before any audio goes out, so this socket's first result is shifted right.
    connection.baseBytes = from;
    current = connection;
    byte[] replay = history.copyFrom(from);
    if (everConnected) {
      // Announced before the replay, so it precedes every result of the new socket.
      metrics.reconnect(true);
      log.info(
          "STT {}: reconnected after {} attempt(s); sending {} ms of audio again",
          name,
          attemptsSinceDrop,
          replay.length / BYTES_PER_MS);
      deliver(null, new SttEvent.Reconnected(attemptsSinceDrop, replay.length / BYTES_PER_MS));
      attemptsSinceDrop = 0;
    } else {
      log.debug("STT {}: connected", name);
    }
    everConnected = true;
    for (int at = 0; at < replay.length; at += REPLAY_CHUNK) {
      connection.socket.sendBinary(
          Unpooled.wrappedBuffer(replay, at, Math.min(REPLAY_CHUNK, replay.length - at)));
    }
    lastWrite = System.nanoTime();
    scheduleKeepAlive(properties.keepAlive().toNanos());
    if (finishing) {
      connection.socket.sendText(CLOSE_STREAM);
    }
  }

  private void openFailed(Connection connection, ProviderSocket.OpenFailure failure) {
    if (connection != pending || stopped) {
      return;
    }
    pending = null;
    if (everConnected) {
      metrics.reconnect(false);
    }
    String problem;
    if (failure.refused()) {
      int status = failure.status();
      String detail = failure.header("dg-error");
      problem =
          "Deepgram refused the connection with HTTP "
              + status
              + (detail == null ? "" : scrub(": " + detail));
      // Bad key, no credits, bad parameters: trying again cannot help.
      if (status >= 400 && status < 500 && status != 408 && status != 429) {
        fail(false, problem);
        return;
      }
    } else if (failure.timedOut()) {
      problem = "Deepgram did not answer within " + properties.connectTimeout();
    } else {
      problem = "Deepgram could not be reached: " + describe(failure.cause());
    }
    failures++;
    scheduleAttempt(problem);
  }

  /** The socket ended: a close frame (code, reason), or -1 and what cut it. */
  private void ended(Connection connection, int code, String reason) {
    if (!connection.end() || connection != current) {
      return;
    }
    current = null;
    cancel(keepAlive);
    if (stopped) {
      return;
    }
    String what = code < 0 ? reason : "code " + code + (reason.isEmpty() ? "" : " " + reason);
    if (finishing && code == 1000) {
      log.debug("STT {}: stream finished", name);
      stop();
      return;
    }
    // DATA errors: Deepgram could not read the audio; sending it again would fail again.
    if (code == 1008 || code == 1002) {
      fail(false, "Deepgram closed the socket: " + scrub(what));
      return;
    }
    log.warn("STT {}: the Deepgram socket dropped ({}); reconnecting", name, scrub(what));
    if (connection.proven || System.nanoTime() - connection.openedAt >= HEALTHY_NANOS) {
      // The socket worked before it dropped: a fresh problem, so the next attempt is immediate.
      failures = 0;
    } else {
      // Dropped before it delivered anything: as good as a failed attempt (and no busy loop).
      failures++;
    }
    scheduleAttempt("the socket dropped (" + scrub(what) + ")");
  }

  /**
   * A write buffer that stays above its watermark this long means the socket is stuck, not slow:
   * treated as a drop, so a new socket takes over.
   */
  private void stalled(Connection connection) {
    if (connection != current || connection.socket.isWritable()) {
      return;
    }
    connection.socket.abort();
    ended(connection, -1, "a send stalled for " + properties.sendTimeout());
  }

  /** Plans the next attempt with bounded backoff, or gives up after too many failures in a row. */
  private void scheduleAttempt(String problem) {
    if (failures >= properties.reconnectAttempts()) {
      fail(
          true,
          "Gave up on Deepgram after "
              + failures
              + " failed attempts in a row; the last: "
              + problem);
      return;
    }
    Duration pause = properties.backoff(failures + 1);
    if (pause.isZero()) {
      connect();
    } else {
      log.info("STT {}: {}; next attempt in {} ms", name, problem, pause.toMillis());
      nextAttempt = loop.schedule(this::connectIfIdle, pause.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void connectIfIdle() {
    if (!stopped && current == null && pending == null) {
      connect();
    }
  }

  // ---- timers (on the loop) ----

  /** Keeps an idle socket alive: a KeepAlive when no audio went out for the keep-alive period. */
  private void scheduleKeepAlive(long delayNanos) {
    keepAlive = loop.schedule(this::keepAliveDue, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void keepAliveDue() {
    Connection connection = current;
    if (connection == null || stopped || finishing) {
      return;
    }
    long period = properties.keepAlive().toNanos();
    long idle = System.nanoTime() - lastWrite;
    if (idle >= period) {
      connection.socket.sendText(KEEP_ALIVE);
      lastWrite = System.nanoTime();
      idle = 0;
    }
    scheduleKeepAlive(period - idle);
  }

  private void startFinishing() {
    if (finishing || stopped) {
      return;
    }
    finishing = true;
    cancel(keepAlive);
    finishDeadline =
        loop.schedule(
            () -> {
              log.warn(
                  "STT {}: no end of stream within {}; closing the socket",
                  name,
                  properties.finishTimeout());
              stop();
            },
            properties.finishTimeout().toMillis(),
            TimeUnit.MILLISECONDS);
    if (current != null) {
      current.socket.sendText(CLOSE_STREAM);
    }
    // Otherwise CloseStream goes out once the socket being (re)opened is up and has the audio.
  }

  // ---- the end (on the loop) ----

  private void fail(boolean retriable, String reason) {
    metrics.failure(retriable);
    log.warn("STT {}: {}", name, reason);
    deliver(null, new SttEvent.Failed(retriable, reason));
    stop();
  }

  /** Ends the session: sockets cut, timers cancelled, {@link #finish}'s future completed. */
  private void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    accepting = false;
    cancel(keepAlive);
    cancel(finishDeadline);
    cancel(nextAttempt);
    for (Connection connection : new Connection[] {current, pending}) {
      if (connection != null) {
        connection.socket.abort();
        connection.end();
      }
    }
    current = null;
    pending = null;
    finished.complete(null);
    adapter.ended(this);
  }

  private static void cancel(ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  // ---- what the provider says (on the loop) ----

  private void received(Connection connection, String text) {
    connection.proven = true;
    long baseMs = connection.baseBytes / BYTES_PER_MS;
    switch (DeepgramMessage.parse(text)) {
      case DeepgramMessage.Results results -> {
        // A final commits its audio only if it is delivered: then it is never replayed.
        if (results.isFinal() && connection.id >= oldestLive && !silenced) {
          committedBytes =
              Math.max(committedBytes, connection.baseBytes + results.endMs() * BYTES_PER_MS);
        }
        results.event(baseMs).ifPresent(event -> deliver(connection, event));
      }
      case DeepgramMessage.SpeechStarted started ->
          deliver(connection, new SttEvent.SpeechStarted(baseMs + started.atMs()));
      case DeepgramMessage.UtteranceEnd end ->
          deliver(connection, new SttEvent.UtteranceEnd(baseMs + end.lastWordEndMs()));
      case DeepgramMessage.Metadata metadata ->
          log.debug(
              "STT {}: end of stream, request {}, {} ms",
              name,
              metadata.requestId(),
              metadata.durationMs());
      case DeepgramMessage.Other other ->
          log.debug("STT {}: ignoring a '{}' message", name, other.type());
      case DeepgramMessage.Unreadable unreadable -> {
        if (!unreadableLogged) {
          unreadableLogged = true;
          log.warn(
              "STT {}: ignoring an unreadable message ({})",
              name,
              LogSafe.text(unreadable.problem()));
        }
      }
    }
  }

  /**
   * Hands one event to the listener. Events from a socket whose audio has been replayed to a newer
   * one are dropped; {@code null} marks the session's own events.
   */
  private void deliver(Connection from, SttEvent event) {
    delivery.lock();
    try {
      if (silenced || (from != null && from.id < oldestLive)) {
        return;
      }
      if (event instanceof SttEvent.Failed) {
        silenced = true;
        accepting = false;
      }
      listener.on(event);
    } catch (RuntimeException e) {
      log.warn("STT {}: the listener failed on {}", name, event.getClass().getSimpleName(), e);
    } finally {
      delivery.unlock();
    }
  }

  private String scrub(String text) {
    return text == null ? null : LogSafe.text(SecretScrubber.scrub(text, secret));
  }

  private String describe(Throwable error) {
    if (error == null) {
      return "unknown error";
    }
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return scrub(
        root.getClass().getSimpleName()
            + (root.getMessage() == null ? "" : " " + root.getMessage()));
  }

  /** One socket and what it has told us; every callback on the loop. */
  private final class Connection implements ProviderSocketListener {
    private final int id;
    private ProviderSocket socket;
    private ScheduledFuture<?> stallCheck;
    private long baseBytes;
    private boolean proven;
    private boolean counted;
    private boolean ended;
    private long openedAt;

    Connection(int id) {
      this.id = id;
    }

    /** Marks the socket ended; true only the first time (the open-socket gauge counts it once). */
    boolean end() {
      if (ended) {
        return false;
      }
      ended = true;
      cancel(stallCheck);
      if (counted) {
        metrics.socketClosed();
      }
      return true;
    }

    @Override
    public void onOpen(ProviderSocket socket) {
      opened(this);
    }

    @Override
    public void onText(ProviderSocket socket, ByteBuf utf8) {
      if (!ended) {
        received(this, utf8.toString(StandardCharsets.UTF_8));
      }
    }

    @Override
    public void onWritabilityChanged(ProviderSocket socket, boolean writable) {
      cancel(stallCheck);
      if (!writable && !ended) {
        stallCheck =
            loop.schedule(
                () -> stalled(this), properties.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
      }
    }

    @Override
    public void onOpenFailed(ProviderSocket socket, ProviderSocket.OpenFailure failure) {
      openFailed(this, failure);
    }

    @Override
    public void onClosed(ProviderSocket socket, int code, String reason) {
      ended(this, code == ProviderSocket.ABNORMAL_CLOSURE ? -1 : code, reason);
    }

    @Override
    public String toString() {
      return "Connection[" + name + "#" + id + "]";
    }
  }
}
