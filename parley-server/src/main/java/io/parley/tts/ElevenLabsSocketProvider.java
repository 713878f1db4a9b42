package io.parley.tts;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.ScheduledFuture;
import io.parley.media.ProviderSocket;
import io.parley.media.ProviderSocketListener;
import io.parley.providers.ProviderEndpoint;
import io.parley.providers.ProviderRegistry;
import io.parley.shared.LogSafe;
import io.parley.shared.WebSocketScheme;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ElevenLabs {@code stream-input} WebSocket (PROTOCOLS.md 4.1). One socket speaks one utterance:
 * the single-context socket only says {@code isFinal} when its input is closed, and dropping a
 * socket is also the only way to stop it at once on barge-in. To keep the handshake off the latency
 * path, the channel connects the next socket while the current one is still speaking (and right
 * after a barge-in), and an idle socket gets a keep-alive before ElevenLabs' inactivity timeout.
 *
 * <p>Every socket is a {@link ProviderSocket} on the session's event loop: its reads, writes,
 * keep-alive timer and sink calls all run there, so a socket has no thread, queue or lock of its
 * own, and audio is decoded on the thread that read it.
 */
final class ElevenLabsSocketProvider implements SpeechProvider {
  static final String NAME = "elevenlabs-ws";
  private static final Logger log = LoggerFactory.getLogger(ElevenLabsSocketProvider.class);

  /** The largest message taken from ElevenLabs: an audio chunk, base64, with its alignment. */
  static final int MAX_MESSAGE_BYTES = 1 << 20;

  private final Supplier<ProviderEndpoint> endpoint;
  private final TtsProperties properties;
  private final TtsMetrics metrics;

  ElevenLabsSocketProvider(
      Supplier<ProviderEndpoint> endpoint, TtsProperties properties, TtsMetrics metrics) {
    this.endpoint = endpoint;
    this.properties = properties;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String providerId() {
    return ProviderRegistry.ELEVENLABS;
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

  /** A session's sockets: the one speaking (held by its attempt) and the next, already open. */
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
          warmNext();
        }

        @Override
        public void abort() {
          socket.abort();
          // after a barge-in the reply that follows should not wait for a handshake either
          warmNext();
        }
      };
    }

    private void warmNext() {
      if (next == null) {
        next = new Socket(uri, loop);
      }
    }

    @Override
    public void close() {
      if (next != null) {
        next.abort();
        next = null;
      }
    }
  }

  /**
   * One socket, bound to at most one attempt's sink. Text given before the handshake is done is
   * kept and sent, after the init message, the moment the socket opens. Loop only.
   */
  private final class Socket implements ProviderSocketListener {
    private final EventLoop loop;
    private final ProviderSocket socket;
    private final SpokenText spoken = new SpokenText();
    private final WavGuard guard = new WavGuard();
    private final StringBuilder unsent = new StringBuilder();
    private final ScheduledFuture<?> keepAlive;
    private Sink sink;
    private boolean open;
    private boolean finished;
    private boolean ended;
    private boolean counted;
    private long lastSend = System.nanoTime();
    private String failure;
    private boolean failureRetriable = true;

    Socket(URI uri, EventLoop loop) {
      this.loop = loop;
      ProviderEndpoint e = endpoint.get();
      HttpHeaders headers = new DefaultHttpHeaders().add("xi-api-key", e.apiKey().reveal());
      long every = properties.keepAliveEvery().toMillis();
      keepAlive = loop.scheduleAtFixedRate(this::keepAlive, every, every, MILLISECONDS);
      socket =
          ProviderSocket.connect(
              uri,
              headers,
              loop,
              ProviderSocket.channelTypeFor(loop),
              properties.connectTimeout(),
              MAX_MESSAGE_BYTES,
              this);
    }

    boolean usable() {
      return !ended;
    }

    /** From now on events go to this sink; a failure that came before is reported to it next. */
    void bind(Sink target) {
      sink = target;
      if (ended && failure != null) {
        // not from inside start(): the session has not taken the attempt yet
        loop.execute(() -> target.failed(failureRetriable, failure));
      }
    }

    void speak(String text) {
      spoken.sent(text);
      if (open) {
        send(ElevenLabsMessages.text(text, false));
      } else {
        unsent.append(text);
      }
    }

    void finish() {
      finished = true;
      if (open) {
        send(ElevenLabsMessages.close());
      }
    }

    void abort() {
      ended = true;
      keepAlive.cancel(false);
      socket.abort();
    }

    private void send(String message) {
      lastSend = System.nanoTime();
      // a failed write ends the connection: onClosed reports it
      socket.sendText(message);
    }

    private void keepAlive() {
      if (ended || finished) {
        keepAlive.cancel(false);
        return;
      }
      if (open && System.nanoTime() - lastSend >= properties.keepAliveEvery().toNanos() / 2) {
        send(ElevenLabsMessages.keepAlive());
      }
    }

    // ---- the socket's events, on the loop ----

    @Override
    public void onOpen(ProviderSocket s) {
      if (ended) {
        return;
      }
      open = true;
      counted = true;
      if (metrics != null) {
        metrics.socketOpened();
      }
      send(ElevenLabsMessages.init());
      if (!unsent.isEmpty()) {
        send(ElevenLabsMessages.text(unsent.toString(), false));
        unsent.setLength(0);
      }
      if (finished) {
        send(ElevenLabsMessages.close());
      }
    }

    @Override
    public void onOpenFailed(ProviderSocket s, ProviderSocket.OpenFailure f) {
      if (f.refused()) {
        fail(
            ProviderErrors.retriable(f.status()),
            "ElevenLabs refused the socket: HTTP " + f.status());
      } else if (f.timedOut()) {
        fail(true, "ElevenLabs socket: timeout");
      } else {
        fail(true, "ElevenLabs socket: " + ProviderErrors.describe(f.cause()));
      }
    }

    @Override
    public void onText(ProviderSocket s, ByteBuf utf8) {
      if (!ended) {
        handle(ElevenLabsMessages.parse(utf8.toString(StandardCharsets.UTF_8)));
      }
    }

    @Override
    public void onClosed(ProviderSocket s, int code, String reason) {
      if (counted && metrics != null) {
        metrics.socketClosed();
      }
      counted = false;
      if (!ended) {
        boolean retriable = code != 1008 || !reason.contains("invalid_api_key");
        fail(retriable, "ElevenLabs closed the socket: " + code + " " + reason);
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
      socket.abort();
      if (sink != null) {
        sink.failed(retriable, reason);
      } else {
        log.debug("A spare ElevenLabs socket failed: {}", LogSafe.text(reason));
      }
    }

    private void handle(ElevenLabsMessages.Incoming message) {
      switch (message) {
        case ElevenLabsMessages.Incoming.Audio a -> {
          byte[] audio;
          try {
            audio = guard.accept(a.bytes());
          } catch (WavGuard.RefusedAudio e) {
            fail(false, "ElevenLabs sent audio Parley cannot play: " + e.getMessage());
            return;
          }
          Sink target = sink;
          if (target == null) {
            return;
          }
          spoken.spoke(a.alignment());
          if (audio.length > 0) {
            target.audio(audio, a.alignment());
          }
          // the listener may have cancelled (aborting this socket) while it took the audio
          if (ended) {
            return;
          }
          target.spoken(spoken.spokenChars());
          if (a.isFinal()) {
            completed();
          }
        }
        case ElevenLabsMessages.Incoming.Final f -> completed();
        case ElevenLabsMessages.Incoming.Error e ->
            fail(
                ProviderErrors.retriable(e.code()),
                "ElevenLabs error " + e.code() + (e.message().isEmpty() ? "" : ": " + e.message()));
        case ElevenLabsMessages.Incoming.Unknown u -> log.debug("Ignored an ElevenLabs message");
      }
    }

    private void completed() {
      if (ended) {
        return;
      }
      ended = true;
      keepAlive.cancel(false);
      if (sink != null) {
        sink.spoken(Integer.MAX_VALUE);
        sink.done();
      }
    }
  }
}
