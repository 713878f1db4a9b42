package io.parley.stt;

import io.parley.providers.ProviderEndpoint;
import io.parley.shared.LogSafe;
import io.parley.shared.SecretScrubber;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's live transcription over Deepgram's {@code /v1/listen} WebSocket.
 *
 * <p>Threads: {@link #send} only copies the frame into the session's inbox. One virtual thread, the
 * writer, owns everything else: it is the only thread that writes to the socket (audio, KeepAlive,
 * CloseStream), and it opens, replaces and closes sockets. Socket callbacks (the reader) parse
 * transcripts and deliver them, and post what the writer must know (the socket ended) to the same
 * inbox. Events reach the listener one at a time under {@link #delivery}.
 *
 * <p>No word is lost to a dropped socket: every frame is kept in {@link AudioHistory}, and the
 * reader records how far Deepgram has committed the audio ({@code start + duration} of final
 * results). A new socket first gets the audio after that point, and its results are shifted by
 * where that replay started, so they stay on the call's timeline.
 */
final class DeepgramSession implements SttSession {

  private static final Logger log = LoggerFactory.getLogger(DeepgramSession.class);

  private static final String KEEP_ALIVE = "{\"type\":\"KeepAlive\"}";
  private static final String CLOSE_STREAM = "{\"type\":\"CloseStream\"}";
  private static final int BYTES_PER_MS = 8;
  private static final int FRAME_BYTES = 160;
  // Replayed audio goes out in 400 ms binary frames: faster than real time, still small.
  private static final int REPLAY_CHUNK = 3200;
  // A socket that stayed up this long worked, even if it never had anything to say.
  private static final long HEALTHY_NANOS = Duration.ofSeconds(5).toNanos();

  /** What the writer thread handles, in order. */
  private sealed interface Item {}

  private record Audio(byte[] frame) implements Item {}

  private record Opened(Connection connection, WebSocket socket) implements Item {}

  private record OpenFailed(Connection connection, Throwable error) implements Item {}

  private record Ended(Connection connection, int code, String reason) implements Item {}

  private record ConnectNow() implements Item {}

  private record Finish() implements Item {}

  private record Stop() implements Item {}

  private final DeepgramSpeechToText adapter;
  private final SttSpec spec;
  private final SttListener listener;
  private final SttProperties properties;
  private final SttMetrics metrics;
  private final URI uri;
  private final String authorization;
  private final String secret;
  private final String unavailable;
  private final String name;

  private final LinkedBlockingQueue<Item> inbox = new LinkedBlockingQueue<>();
  private final AtomicInteger queuedFrames = new AtomicInteger();
  private final AtomicLong committedBytes = new AtomicLong();
  private final AtomicBoolean droppingLogged = new AtomicBoolean();
  private final AtomicBoolean unreadableLogged = new AtomicBoolean();
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private final ReentrantLock delivery = new ReentrantLock();
  private volatile boolean accepting = true;
  private volatile boolean stopRequested;
  private volatile boolean silenced;
  private volatile boolean terminated;
  private volatile Connection current;
  private volatile int oldestLive;

  // Owned by the writer thread.
  private final AudioHistory history;
  private Connection pending;
  private boolean stopped;
  private boolean finishing;
  private long finishDeadline;
  private long lastWrite;
  private int failures;
  private int attemptsSinceDrop;
  private boolean everConnected;
  private int generation;

  DeepgramSession(
      DeepgramSpeechToText adapter,
      SttSpec spec,
      SttListener listener,
      ProviderEndpoint endpoint,
      String unavailable) {
    this.adapter = adapter;
    this.spec = spec;
    this.listener = listener;
    this.properties = adapter.properties();
    this.metrics = adapter.metrics();
    this.unavailable = unavailable;
    this.uri = endpoint == null ? null : DeepgramListenUri.of(endpoint.baseUrl(), spec);
    this.secret = endpoint == null ? null : endpoint.apiKey().reveal();
    this.authorization = endpoint == null ? null : "Token " + secret;
    this.name =
        spec.callSid() != null ? spec.callSid() : UUID.randomUUID().toString().substring(0, 8);
    this.history = new AudioHistory(properties.replayBytes());
  }

  void start() {
    Thread.ofVirtual().name("stt-" + name).start(this::run);
  }

  // ---- the SttSession API (any thread) ----

  @Override
  public void send(byte[] mulawFrame) {
    if (!accepting || mulawFrame == null || mulawFrame.length == 0) {
      return;
    }
    if (queuedFrames.incrementAndGet() > properties.sendQueueFrames()) {
      queuedFrames.decrementAndGet();
      metrics.framesDropped("queue_full", Math.max(1.0, mulawFrame.length / (double) FRAME_BYTES));
      if (droppingLogged.compareAndSet(false, true)) {
        log.warn("STT {}: the socket writer fell behind; dropping caller audio", name);
      }
      return;
    }
    inbox.add(new Audio(mulawFrame.clone()));
  }

  @Override
  public CompletableFuture<Void> finish() {
    accepting = false;
    inbox.add(new Finish());
    return finished.copy();
  }

  @Override
  public void close() {
    accepting = false;
    stopRequested = true;
    delivery.lock();
    try {
      silenced = true;
    } finally {
      delivery.unlock();
    }
    inbox.add(new Stop());
  }

  // ---- the writer thread ----

  private void run() {
    try {
      if (unavailable != null) {
        fail(false, unavailable);
      } else {
        connect();
      }
      while (!stopped) {
        if (stopRequested) {
          stopped = true;
          break;
        }
        Item item = inbox.poll(untilNextDeadline(), TimeUnit.NANOSECONDS);
        if (item != null) {
          handle(item);
        }
        tick();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("STT {}: the session writer failed", name, e);
      fail(true, "STT session failed: " + e.getClass().getSimpleName());
    } finally {
      shutdown();
    }
  }

  private void handle(Item item) {
    switch (item) {
      case Audio(byte[] frame) -> audio(frame);
      case Opened(Connection connection, WebSocket socket) -> opened(connection, socket);
      case OpenFailed(Connection connection, Throwable error) -> openFailed(connection, error);
      case Ended(Connection connection, int code, String reason) -> ended(connection, code, reason);
      case ConnectNow() -> {
        if (current == null && pending == null) {
          connect();
        }
      }
      case Finish() -> startFinishing();
      case Stop() -> stopped = true;
    }
  }

  private void audio(byte[] frame) {
    queuedFrames.decrementAndGet();
    if (stopRequested) {
      return;
    }
    history.append(frame);
    Connection connection = current;
    if (connection != null) {
      write(connection, frame);
    }
  }

  /** Keeps an idle socket alive and bounds the wait for the provider's last results. */
  private void tick() {
    long now = System.nanoTime();
    if (finishing && now - finishDeadline >= 0) {
      log.warn(
          "STT {}: no end of stream within {}; closing the socket",
          name,
          properties.finishTimeout());
      stopped = true;
      return;
    }
    Connection connection = current;
    if (connection != null && !finishing && now - lastWrite >= properties.keepAlive().toNanos()) {
      write(connection, KEEP_ALIVE);
    }
  }

  private long untilNextDeadline() {
    long now = System.nanoTime();
    long wait = Duration.ofSeconds(1).toNanos();
    if (current != null && !finishing) {
      wait = Math.min(wait, lastWrite + properties.keepAlive().toNanos() - now);
    }
    if (finishing) {
      wait = Math.min(wait, finishDeadline - now);
    }
    return Math.max(wait, TimeUnit.MILLISECONDS.toNanos(1));
  }

  private void connect() {
    Connection connection = new Connection(++generation);
    pending = connection;
    if (everConnected) {
      attemptsSinceDrop++;
    }
    adapter
        .http()
        .newWebSocketBuilder()
        .header("Authorization", authorization)
        .connectTimeout(properties.connectTimeout())
        .buildAsync(uri, connection)
        .whenComplete(
            (socket, error) ->
                post(
                    socket != null
                        ? new Opened(connection, socket)
                        : new OpenFailed(connection, error)));
  }

  private void opened(Connection connection, WebSocket socket) {
    if (connection != pending || stopped) {
      socket.abort();
      return;
    }
    pending = null;
    connection.socket = socket;
    connection.counted = true;
    connection.openedAt = System.nanoTime();
    metrics.socketOpened();
    long from;
    delivery.lock();
    try {
      // From here on the old sockets' results are ignored: the replay below brings them again.
      oldestLive = connection.id;
      from = committedBytes.get();
    } finally {
      delivery.unlock();
    }
    if (from < history.start()) {
      long lost = history.start() - from;
      metrics.framesDropped("gap_too_long", lost / (double) FRAME_BYTES);
      log.warn(
          "STT {}: {} ms of caller audio were older than the replay buffer and are lost",
          name,
          lost / BYTES_PER_MS);
      from = history.start();
    }
    // Set before any audio goes out, so the reader shifts this socket's first result right.
    connection.baseBytes = from;
    current = connection;
    lastWrite = System.nanoTime();
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
      if (!write(
          connection, Arrays.copyOfRange(replay, at, Math.min(replay.length, at + REPLAY_CHUNK)))) {
        return;
      }
    }
    if (finishing) {
      write(connection, CLOSE_STREAM);
    }
  }

  private void openFailed(Connection connection, Throwable error) {
    if (connection != pending || stopped) {
      return;
    }
    pending = null;
    if (everConnected) {
      metrics.reconnect(false);
    }
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof WebSocketHandshakeException handshake) {
      int status = handshake.getResponse().statusCode();
      String detail =
          handshake.getResponse().headers().firstValue("dg-error").map(d -> ": " + d).orElse("");
      String problem = "Deepgram refused the connection with HTTP " + status + scrub(detail);
      // Bad key, no credits, bad parameters: trying again cannot help.
      if (status >= 400 && status < 500 && status != 408 && status != 429) {
        fail(false, problem);
        return;
      }
      failures++;
      scheduleAttempt(problem);
      return;
    }
    String problem =
        cause instanceof HttpConnectTimeoutException
            ? "Deepgram did not answer within " + properties.connectTimeout()
            : "Deepgram could not be reached: " + describe(cause);
    failures++;
    scheduleAttempt(problem);
  }

  private void ended(Connection connection, int code, String reason) {
    if (!connection.end()) {
      return;
    }
    if (connection != current) {
      return;
    }
    current = null;
    if (stopped) {
      return;
    }
    String what = code < 0 ? reason : "code " + code + (reason.isEmpty() ? "" : " " + reason);
    if (finishing && code == WebSocket.NORMAL_CLOSURE) {
      log.debug("STT {}: stream finished", name);
      stopped = true;
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
      CompletableFuture.delayedExecutor(pause.toMillis(), TimeUnit.MILLISECONDS, adapter.executor())
          .execute(() -> post(new ConnectNow()));
    }
  }

  private void startFinishing() {
    if (finishing) {
      return;
    }
    finishing = true;
    finishDeadline = System.nanoTime() + properties.finishTimeout().toNanos();
    Connection connection = current;
    if (connection != null) {
      write(connection, CLOSE_STREAM);
    }
    // Otherwise CloseStream goes out once the socket being (re)opened is up and has the audio.
  }

  /**
   * Writes one frame and waits for it to leave (the JDK client allows one outstanding send); a
   * failed or stalled send ends the socket like a drop. Returns false then.
   */
  private boolean write(Connection connection, Object payload) {
    WebSocket socket = connection.socket;
    try {
      CompletableFuture<WebSocket> sent =
          payload instanceof byte[] bytes
              ? socket.sendBinary(ByteBuffer.wrap(bytes), true)
              : socket.sendText((String) payload, true);
      sent.get(properties.sendTimeout().toNanos(), TimeUnit.NANOSECONDS);
      lastWrite = System.nanoTime();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopped = true;
      return false;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      socket.abort();
      ended(
          connection,
          -1,
          e instanceof TimeoutException
              ? "a send stalled for " + properties.sendTimeout()
              : "a send failed: " + describe(e instanceof ExecutionException ? e.getCause() : e));
      return false;
    }
  }

  private void fail(boolean retriable, String reason) {
    stopped = true;
    metrics.failure(retriable);
    log.warn("STT {}: {}", name, reason);
    deliver(null, new SttEvent.Failed(retriable, reason));
  }

  private void shutdown() {
    stopped = true;
    accepting = false;
    terminated = true;
    Connection connection = current;
    current = null;
    if (connection != null) {
      connection.socket.abort();
      connection.end();
    }
    drainAfterTermination();
    finished.complete(null);
    adapter.ended(this);
  }

  /**
   * Posts to the writer. A socket that opens after the writer stopped is closed here: whichever of
   * this thread and the writer's last drain sees the other's write closes it.
   */
  private void post(Item item) {
    inbox.add(item);
    if (terminated) {
      drainAfterTermination();
    }
  }

  private void drainAfterTermination() {
    Item item;
    while ((item = inbox.poll()) != null) {
      if (item instanceof Opened(Connection connection, WebSocket socket)) {
        socket.abort();
        connection.end();
      }
    }
  }

  // ---- the reader (socket callbacks) ----

  private void received(Connection connection, String text) {
    connection.proven = true;
    long baseMs = connection.baseBytes / BYTES_PER_MS;
    switch (DeepgramMessage.parse(text)) {
      case DeepgramMessage.Results results -> {
        delivery.lock();
        try {
          // Committing and delivering together: a final either counts as heard, or its audio is
          // replayed to the next socket, never both and never neither.
          if (results.isFinal() && connection.id >= oldestLive && !silenced) {
            committedBytes.accumulateAndGet(
                connection.baseBytes + results.endMs() * BYTES_PER_MS, Math::max);
          }
          results.event(baseMs).ifPresent(event -> deliver(connection, event));
        } finally {
          delivery.unlock();
        }
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
        if (unreadableLogged.compareAndSet(false, true)) {
          log.warn(
              "STT {}: ignoring an unreadable message ({})",
              name,
              LogSafe.text(unreadable.problem()));
        }
      }
    }
  }

  /**
   * Hands one event to the listener, never two at once. Events from a socket whose audio has been
   * replayed to a newer one are dropped; {@code null} marks the writer's own events.
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

  /** One WebSocket and its reader. */
  private final class Connection implements WebSocket.Listener {
    private final int id;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final StringBuilder text = new StringBuilder();
    private volatile WebSocket socket;
    private volatile long baseBytes;
    private volatile boolean proven;
    private volatile boolean counted;
    private volatile long openedAt;

    Connection(int id) {
      this.id = id;
    }

    /** Marks the socket ended; true only the first time (the open-socket gauge counts it once). */
    boolean end() {
      if (!ended.compareAndSet(false, true)) {
        return false;
      }
      if (counted) {
        metrics.socketClosed();
      }
      return true;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        String message = text.toString();
        text.setLength(0);
        received(this, message);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      post(new Ended(this, statusCode, reason == null ? "" : reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      post(new Ended(this, -1, "the socket failed: " + describe(error)));
    }

    @Override
    public String toString() {
      return "Connection[" + name + "#" + id + "]";
    }
  }
}
