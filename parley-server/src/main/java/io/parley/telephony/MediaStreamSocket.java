package io.parley.telephony;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.shared.LogSafe;
import io.parley.telephony.twilio.MalformedFrameException;
import io.parley.telephony.twilio.MediaStreamCodec;
import io.parley.telephony.twilio.StreamEvent;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The Media Streams WebSocket ({@code /twilio/media}). It parses each message and hands it on;
 * nothing here waits for a provider. Before {@code start} only {@code connected} is expected; the
 * {@code start} message must carry a valid, unused token issued by the voice webhook, else the
 * socket is closed with 1008 (policy violation); so is a socket that sends no {@code start} in
 * time, since until then nobody is known to be on the other end. Malformed messages and unknown
 * events are counted; a socket that keeps sending garbage is closed with 1007 (bad data), and the
 * call is ended by its listener.
 */
@Component
class MediaStreamSocket extends TextWebSocketHandler {

  private static final Logger log = LoggerFactory.getLogger(MediaStreamSocket.class);

  /** The custom parameter carrying the single-use token. */
  static final String TOKEN_PARAMETER = "token";

  /** Malformed messages tolerated per stream before the socket is closed. */
  static final int MALFORMED_BUDGET = 20;

  /**
   * Key presses a stream may hand to its call; later ones are counted and dropped, so a flood of
   * DTMF frames cannot fill the call's mailbox or its transcript.
   */
  static final int DTMF_BUDGET = 200;

  static final CloseStatus BAD_TOKEN =
      CloseStatus.POLICY_VIOLATION.withReason("invalid or already used stream token");
  static final CloseStatus NO_START = CloseStatus.PROTOCOL_ERROR.withReason("expected start");
  static final CloseStatus GARBAGE = CloseStatus.BAD_DATA.withReason("too many malformed messages");
  static final CloseStatus NO_START_IN_TIME =
      CloseStatus.POLICY_VIOLATION.withReason("no start in time");

  /**
   * How long a socket may stay open without being admitted. Twilio sends {@code start} right after
   * {@code connected}, within milliseconds; without a deadline anyone could hold sockets open
   * forever without a token (the container has no idle timeout).
   */
  static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private static final String STATE = "parley.stream";

  /**
   * A media message is about 400 bytes; anything past this is not Twilio, and the container closes
   * the socket with 1009 (message too big).
   */
  static final int MAX_MESSAGE_BYTES = 16 * 1024;

  private final MediaStreamCodec codec = new MediaStreamCodec();
  private final MediaTokens tokens;
  private final CallStreams streams;
  private final Clock clock;
  private final Counter malformed;
  private final Counter unknown;
  private final Counter rejected;
  private final Counter outOfOrder;
  private final Counter dtmfDropped;
  private final AtomicInteger open = new AtomicInteger();
  // One daemon thread closes sockets that were never admitted; its tasks only close a socket.
  private final ScheduledExecutorService deadlines =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("media-start-deadline").daemon().factory());

  MediaStreamSocket(MediaTokens tokens, CallStreams streams, Clock clock, MeterRegistry meters) {
    this.tokens = tokens;
    this.streams = streams;
    this.clock = clock;
    this.malformed = meters.counter("parley.media.messages.malformed");
    this.unknown = meters.counter("parley.media.messages.unknown");
    this.rejected = meters.counter("parley.media.streams.rejected");
    this.outOfOrder = meters.counter("parley.media.messages.out_of_order");
    this.dtmfDropped = meters.counter("parley.media.dtmf.dropped");
    meters.gauge("parley.media.sockets.open", open);
  }

  /**
   * One socket's state; only the socket's own (sequential) message deliveries write it. The start
   * deadline reads the listener from its own thread.
   */
  private static final class Stream {
    volatile StreamListener listener;
    int malformed;
    int dtmf;
    ScheduledFuture<?> startDeadline;
  }

  @Override
  public void afterConnectionEstablished(WebSocketSession session) {
    open.incrementAndGet();
    session.setTextMessageSizeLimit(MAX_MESSAGE_BYTES);
    session.setBinaryMessageSizeLimit(MAX_MESSAGE_BYTES);
    Stream stream = new Stream();
    session.getAttributes().put(STATE, stream);
    stream.startDeadline =
        deadlines.schedule(
            () -> {
              if (stream.listener == null && session.isOpen()) {
                rejected.increment();
                log.warn("Closing media socket {}: no start in time", session.getId());
                close(session, NO_START_IN_TIME);
              }
            },
            START_TIMEOUT.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  @Override
  protected void handleTextMessage(WebSocketSession session, TextMessage message) {
    Stream stream = (Stream) session.getAttributes().get(STATE);
    if (stream == null) {
      // Frames read in the same batch as one that closed the socket: it is gone, so are they.
      return;
    }
    StreamEvent event;
    try {
      event = codec.parse(message.getPayload());
    } catch (MalformedFrameException e) {
      malformed.increment();
      if (++stream.malformed > MALFORMED_BUDGET) {
        log.warn("Closing media socket {}: too many malformed messages", session.getId());
        close(session, GARBAGE);
      } else {
        log.debug(
            "Malformed media message on {}: {}", session.getId(), LogSafe.text(e.getMessage()));
      }
      return;
    }
    switch (event) {
      case StreamEvent.Connected c -> {}
      case StreamEvent.Unknown u -> unknown.increment();
      case StreamEvent.Start start -> start(session, stream, start);
      default -> {
        if (stream.listener == null) {
          outOfOrder.increment();
          if (!(event instanceof StreamEvent.Media)) {
            log.warn(
                "Closing media socket {}: {} before start", session.getId(), LogSafe.text(event));
            close(session, NO_START);
          }
          return;
        }
        if (event instanceof StreamEvent.Dtmf && ++stream.dtmf > DTMF_BUDGET) {
          dtmfDropped.increment();
          if (stream.dtmf == DTMF_BUDGET + 1) {
            log.warn(
                "Media socket {}: more than {} key presses; dropping the rest",
                session.getId(),
                DTMF_BUDGET);
          }
          return;
        }
        stream.listener.onEvent(event);
      }
    }
  }

  private void start(WebSocketSession session, Stream stream, StreamEvent.Start start) {
    if (stream.listener != null) {
      outOfOrder.increment();
      log.warn("Ignored a second start on media socket {}", session.getId());
      return;
    }
    Map<String, String> parameters = new HashMap<>(start.customParameters());
    String token = parameters.remove(TOKEN_PARAMETER);
    Optional<MediaTokens.Admission> admitted = tokens.redeem(token, start.callSid());
    if (admitted.isEmpty()) {
      rejected.increment();
      log.warn(
          "Refused media stream {} for call {}: {}",
          LogSafe.text(start.streamSid()),
          LogSafe.text(start.callSid()),
          token == null ? "no token" : "invalid or used token");
      close(session, BAD_TOKEN);
      return;
    }
    StreamStart started =
        new StreamStart(
            admitted.get().callId(),
            start.callSid(),
            start.streamSid(),
            parameters,
            admitted.get().base(),
            clock.instant());
    try {
      stream.listener = streams.started(started, new SocketOutput(session));
      stream.startDeadline.cancel(false);
    } catch (RuntimeException e) {
      log.error("Could not start call {} on its media stream", admitted.get().callId(), e);
      close(session, CloseStatus.SERVER_ERROR.withReason("call could not start"));
    }
  }

  @Override
  public void handleTransportError(WebSocketSession session, Throwable exception) {
    log.debug("Media socket {} failed: {}", session.getId(), exception.toString());
  }

  @Override
  public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
    open.decrementAndGet();
    Stream stream = (Stream) session.getAttributes().remove(STATE);
    if (stream != null) {
      stream.startDeadline.cancel(false);
      if (stream.listener != null) {
        stream.listener.onClosed(status.getCode(), status.getReason());
      }
    }
  }

  @PreDestroy
  void stopDeadlines() {
    deadlines.shutdownNow();
  }

  private static void close(WebSocketSession session, CloseStatus status) {
    try {
      session.close(status);
    } catch (IOException e) {
      log.debug("Media socket {} did not close cleanly: {}", session.getId(), e.toString());
    }
  }

  /** The socket's sending side; a lock keeps the writer and a closing thread apart. */
  private static final class SocketOutput implements StreamOutput {
    private final WebSocketSession session;
    private final ReentrantLock lock = new ReentrantLock();

    SocketOutput(WebSocketSession session) {
      this.session = session;
    }

    @Override
    public boolean send(String message) {
      lock.lock();
      try {
        if (!session.isOpen()) {
          return false;
        }
        session.sendMessage(new TextMessage(message));
        return true;
      } catch (IOException | IllegalStateException e) {
        log.debug("Could not send on media socket {}: {}", session.getId(), e.toString());
        return false;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close(int code, String reason) {
      lock.lock();
      try {
        if (session.isOpen()) {
          session.close(new CloseStatus(code, reason));
        }
      } catch (IOException e) {
        log.debug("Media socket {} did not close cleanly: {}", session.getId(), e.toString());
      } finally {
        lock.unlock();
      }
    }

    @Override
    public boolean isOpen() {
      return session.isOpen();
    }
  }
}
