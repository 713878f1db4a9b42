package io.parley.tts;

import io.netty.channel.EventLoop;
import io.parley.providers.ProviderEndpoint;
import io.parley.shared.LogSafe;
import io.parley.shared.WebSocketScheme;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ElevenLabs {@code stream-input} WebSocket (PROTOCOLS.md 4.1). One socket speaks one utterance:
 * the single-context socket only says {@code isFinal} when its input is closed, and dropping a
 * socket is also the only way to stop it at once on barge-in. To keep the handshake off the latency
 * path, the channel connects the next socket while the current one is still speaking, and an idle
 * socket gets a keep-alive before ElevenLabs' 20 s inactivity timeout.
 */
final class ElevenLabsSocketProvider implements SpeechProvider {
  static final String NAME = "elevenlabs-ws";
  private static final Logger log = LoggerFactory.getLogger(ElevenLabsSocketProvider.class);

  private final Supplier<ProviderEndpoint> endpoint;
  private final HttpClient http;
  private final TtsProperties properties;
  private final TtsMetrics metrics;

  ElevenLabsSocketProvider(
      Supplier<ProviderEndpoint> endpoint,
      HttpClient http,
      TtsProperties properties,
      TtsMetrics metrics) {
    this.endpoint = endpoint;
    this.http = http;
    this.properties = properties;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String providerId() {
    return io.parley.providers.ProviderRegistry.ELEVENLABS;
  }

  @Override
  public Channel open(VoiceSpec.Voice voice, String languageCode, EventLoop loop) {
    return new SocketChannel(uri(endpoint.get().baseUrl(), voice, languageCode), loop);
  }

  /**
   * {@code
   * ws(s)://host/v1/text-to-speech/{voice}/stream-input?model_id=..&output_format=ulaw_8000}.
   */
  URI uri(URI base, VoiceSpec.Voice voice, String languageCode) {
    String scheme = WebSocketScheme.of(base);
    String model = voice.model() == null ? properties.elevenLabsModel() : voice.model();
    StringBuilder s = new StringBuilder();
    s.append(scheme).append("://").append(base.getRawAuthority());
    s.append(base.getRawPath() == null ? "" : base.getRawPath());
    s.append("/v1/text-to-speech/").append(encode(voice.voiceId())).append("/stream-input");
    s.append("?model_id=").append(encode(model)).append("&output_format=ulaw_8000");
    long inactivity = properties.elevenLabsInactivityTimeout().toSeconds();
    if (inactivity != 20) {
      s.append("&inactivity_timeout=").append(inactivity);
    }
    if (languageCode != null && !languageCode.isBlank()) {
      s.append("&language_code=").append(encode(languageCode));
    }
    return URI.create(s.toString());
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private final class SocketChannel implements Channel {
    private final URI uri;
    private final EventLoop loop;
    private Socket next;

    SocketChannel(URI uri, EventLoop loop) {
      this.uri = uri;
      this.loop = loop;
      this.next = new Socket(uri, loop);
    }

    @Override
    public Attempt start(Sink sink) {
      Socket socket = next != null && next.usable() ? next : new Socket(uri, loop);
      if (next != null && next != socket) {
        next.abort();
      }
      next = null;
      socket.bind(sink);
      return new Attempt() {
        @Override
        public void append(String text) {
          socket.speak(text);
        }

        @Override
        public void finish() {
          socket.finish();
          // the next utterance gets a socket that is already open
          if (next == null) {
            next = new Socket(uri, loop);
          }
        }

        @Override
        public void abort() {
          socket.abort();
          // after a barge-in the reply that follows should not wait for a handshake either
          if (next == null) {
            next = new Socket(uri, loop);
          }
        }
      };
    }

    @Override
    public void close() {
      if (next != null) {
        next.abort();
        next = null;
      }
    }
  }

  /** One socket: a single writer chain, a reader bound to at most one attempt's sink. */
  private final class Socket implements WebSocket.Listener {
    private final CompletableFuture<WebSocket> connected;
    private final SpokenText spoken = new SpokenText();
    private final WavGuard guard = new WavGuard();
    private final StringBuilder partial = new StringBuilder();
    private final ScheduledFuture<?> keepAlive;
    private CompletableFuture<WebSocket> tail;
    private volatile Sink sink;
    private volatile boolean finished;
    private volatile boolean ended;
    private volatile long lastSend = System.nanoTime();
    private volatile String failure;
    private volatile boolean failureRetriable = true;
    // The open-socket gauge counts this socket once, from connected to closed or aborted.
    private final java.util.concurrent.atomic.AtomicBoolean counted =
        new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicBoolean released =
        new java.util.concurrent.atomic.AtomicBoolean();

    private final EventLoop loop;

    Socket(URI uri, EventLoop loop) {
      this.loop = loop;
      ProviderEndpoint e = endpoint.get();
      connected =
          http.newWebSocketBuilder()
              .header("xi-api-key", e.apiKey().reveal())
              .connectTimeout(properties.connectTimeout())
              .buildAsync(uri, this);
      connected.thenAccept(
          ws -> {
            if (metrics != null && counted.compareAndSet(false, true)) {
              metrics.socketOpened();
            }
          });
      tail = connected.thenCompose(ws -> ws.sendText(ElevenLabsMessages.init(), true));
      tail.whenComplete(
          (ok, error) -> {
            if (error != null) {
              connectFailed(error);
            }
          });
      long every = properties.keepAliveEvery().toMillis();
      keepAlive = loop.scheduleAtFixedRate(this::keepAlive, every, every, TimeUnit.MILLISECONDS);
    }

    boolean usable() {
      return !ended && !connected.isCompletedExceptionally();
    }

    /** From now on events go to this sink; one that came before (a failed connect) is replayed. */
    void bind(Sink target) {
      sink = target;
      if (ended && failure != null) {
        target.failed(failureRetriable, failure);
      }
    }

    synchronized void speak(String text) {
      spoken.sent(text);
      send(ElevenLabsMessages.text(text, false));
    }

    synchronized void finish() {
      finished = true;
      send(ElevenLabsMessages.close());
    }

    private synchronized void send(String message) {
      lastSend = System.nanoTime();
      tail = tail.thenCompose(ws -> ws.sendText(message, true));
      tail.whenComplete(
          (ok, error) -> {
            if (error != null && connected.isDone() && !connected.isCompletedExceptionally()) {
              fail(true, "ElevenLabs socket: " + ProviderErrors.describe(error));
            }
          });
    }

    private void keepAlive() {
      if (ended || finished) {
        keepAlive.cancel(false);
        return;
      }
      if (System.nanoTime() - lastSend >= properties.keepAliveEvery().toNanos() / 2) {
        synchronized (this) {
          if (!finished && connected.isDone() && !connected.isCompletedExceptionally()) {
            send(ElevenLabsMessages.keepAlive());
          }
        }
      }
    }

    void abort() {
      ended = true;
      keepAlive.cancel(false);
      connected.thenAccept(this::abortSocket);
    }

    private void abortSocket(WebSocket ws) {
      ws.abort();
      released();
    }

    /** The socket is gone (closed by either side or aborted): uncount it, once. */
    private void released() {
      if (metrics != null && counted.get() && released.compareAndSet(false, true)) {
        metrics.socketClosed();
      }
    }

    private void connectFailed(Throwable error) {
      Throwable cause =
          error instanceof java.util.concurrent.CompletionException c ? c.getCause() : error;
      if (cause instanceof WebSocketHandshakeException h) {
        int status = h.getResponse().statusCode();
        fail(ProviderErrors.retriable(status), "ElevenLabs refused the socket: HTTP " + status);
      } else {
        fail(true, "ElevenLabs socket: " + ProviderErrors.describe(cause));
      }
    }

    private void fail(boolean retriable, String reason) {
      if (ended) {
        return;
      }
      failure = reason;
      failureRetriable = retriable;
      ended = true;
      keepAlive.cancel(false);
      connected.thenAccept(this::abortSocket);
      Sink target = sink;
      if (target != null) {
        target.failed(retriable, reason);
      } else {
        log.debug("A spare ElevenLabs socket failed: {}", LogSafe.text(reason));
      }
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String message = partial.toString();
        partial.setLength(0);
        loop.execute(() -> handle(ElevenLabsMessages.parse(message)));
      }
      ws.request(1);
      return null;
    }

    private void handle(ElevenLabsMessages.Incoming message) {
      Sink target = sink;
      switch (message) {
        case ElevenLabsMessages.Incoming.Audio a -> {
          byte[] audio;
          try {
            audio = guard.accept(a.bytes());
          } catch (WavGuard.RefusedAudio e) {
            fail(false, "ElevenLabs sent audio Parley cannot play: " + e.getMessage());
            return;
          }
          if (target == null) {
            return;
          }
          int chars;
          synchronized (this) {
            spoken.spoke(a.alignment());
            chars = spoken.spokenChars();
          }
          if (audio.length > 0) {
            target.audio(audio, a.alignment());
          }
          target.spoken(chars);
          if (a.isFinal()) {
            completed(target);
          }
        }
        case ElevenLabsMessages.Incoming.Final f -> completed(target);
        case ElevenLabsMessages.Incoming.Error e ->
            fail(
                ProviderErrors.retriable(e.code()),
                "ElevenLabs error " + e.code() + (e.message().isEmpty() ? "" : ": " + e.message()));
        case ElevenLabsMessages.Incoming.Unknown u -> log.debug("Ignored an ElevenLabs message");
      }
    }

    private void completed(Sink target) {
      if (ended) {
        return;
      }
      ended = true;
      keepAlive.cancel(false);
      if (target != null) {
        synchronized (this) {
          target.spoken(Integer.MAX_VALUE);
        }
        target.done();
      }
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      released();
      // after the messages before it, which were handed to the loop
      loop.execute(
          () -> {
            if (!ended) {
              boolean retriable = statusCode != 1008 || !reason.contains("invalid_api_key");
              fail(retriable, "ElevenLabs closed the socket: " + statusCode + " " + reason);
            }
          });
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      released();
      loop.execute(() -> fail(true, "ElevenLabs socket: " + ProviderErrors.describe(error)));
    }
  }
}
