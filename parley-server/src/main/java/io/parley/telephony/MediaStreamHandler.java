package io.parley.telephony;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import io.parley.shared.LogSafe;
import io.parley.telephony.twilio.InboundMessages;
import io.parley.telephony.twilio.InvalidUtf8Exception;
import io.parley.telephony.twilio.MalformedFrameException;
import io.parley.telephony.twilio.MediaStreamCodec;
import io.parley.telephony.twilio.StreamEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Twilio media socket, on its channel's event loop: it parses each message and hands it to the
 * call on the same thread; nothing here waits for a provider. Before {@code start} only {@code
 * connected} is expected; the {@code start} message must carry a valid, unused token issued by the
 * voice webhook, else the socket is closed with 1008 (policy violation); so is a socket that sends
 * no {@code start} in time, since until then nobody is known to be on the other end. The token is
 * checked in the database on a virtual thread ({@link StreamAdmissions}), never on this loop; what
 * arrives meanwhile (Twilio sends media right behind {@code start}) is held, up to {@link
 * #HELD_BUDGET} messages, and handed to the call once it starts. Malformed messages and unknown
 * events are counted; a socket that keeps sending garbage is closed with 1007 (bad data), and the
 * call is ended by its listener.
 */
final class MediaStreamHandler extends SimpleChannelInboundHandler<WebSocketFrame>
    implements InboundMessages.Sink {

  private static final Logger log = LoggerFactory.getLogger(MediaStreamHandler.class);

  /** The custom parameter carrying the single-use token. */
  static final String TOKEN_PARAMETER = "token";

  /** Malformed messages tolerated per stream before the socket is closed. */
  static final int MALFORMED_BUDGET = 20;

  /**
   * Key presses a stream may hand to its call; later ones are counted and dropped, so a flood of
   * DTMF frames cannot fill the call's transcript.
   */
  static final int DTMF_BUDGET = 200;

  /**
   * How long a socket may stay open without being admitted. Twilio sends {@code start} right after
   * {@code connected}, within milliseconds; without a deadline anyone could hold sockets open
   * forever without a token.
   */
  static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Messages held while the token is checked: five seconds of 20 ms frames. The check takes
   * milliseconds; past this the frames are dropped and counted as out of order.
   */
  static final int HELD_BUDGET = 250;

  /**
   * A media message is about 400 bytes; anything past this is not Twilio, and the socket is closed
   * with 1009 (message too big).
   */
  static final int MAX_MESSAGE_BYTES = 16 * 1024;

  static final int NORMAL = 1000;
  static final int PROTOCOL_ERROR = 1002;
  static final int UNSUPPORTED_DATA = 1003;
  static final int ABNORMAL = 1006;
  static final int BAD_DATA = 1007;
  static final int POLICY_VIOLATION = 1008;
  static final int TOO_BIG = 1009;
  static final int SERVER_ERROR = 1011;

  private final InboundMessages reader;
  private final StreamAdmissions admissions;
  private final CallStreams streams;
  private final Clock clock;
  private final MediaStreamMetrics metrics;

  private ChannelHandlerContext ctx;
  private StreamListener listener;
  private ScheduledFuture<?> startDeadline;
  // Between a start and the answer of its token check; messages meanwhile wait in held.
  private boolean admitting;
  private final ArrayDeque<Object> held = new ArrayDeque<>();
  private int malformed;
  private int dtmf;
  // The close this side sent or received first: what the call is told when the channel goes.
  private volatile int closeCode = -1;
  private String closeReason;

  MediaStreamHandler(
      MediaStreamCodec codec,
      StreamAdmissions admissions,
      CallStreams streams,
      Clock clock,
      MediaStreamMetrics metrics) {
    this.reader = new InboundMessages(codec);
    this.admissions = admissions;
    this.streams = streams;
    this.clock = clock;
    this.metrics = metrics;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    metrics.open.incrementAndGet();
    startDeadline =
        ctx.executor()
            .schedule(this::startTimedOut, START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void startTimedOut() {
    if (listener == null && ctx.channel().isActive()) {
      metrics.rejected.increment();
      if (admitting) {
        log.warn("Closing media socket {}: its stream token was not checked in time", id());
        close(POLICY_VIOLATION, "stream token not checked in time");
      } else {
        log.warn("Closing media socket {}: no start in time", id());
        close(POLICY_VIOLATION, "no start in time");
      }
    }
  }

  private Object id() {
    return ctx.channel().id();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    switch (frame) {
      case TextWebSocketFrame text -> {
        if (!isClosing()) {
          message(text);
        }
      }
      case CloseWebSocketFrame close -> {
        if (closeCode < 0) {
          closeCode = close.statusCode() < 0 ? 1005 : close.statusCode();
          closeReason = close.reasonText();
          // Echo the close, then let the connection go.
          ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), ""))
              .addListener(f -> ctx.close());
        } else {
          ctx.close();
        }
      }
      case PingWebSocketFrame ping ->
          ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      case PongWebSocketFrame pong -> {}
      case BinaryWebSocketFrame binary -> close(UNSUPPORTED_DATA, "binary messages not accepted");
      default -> close(UNSUPPORTED_DATA, "unexpected frame");
    }
  }

  private void message(TextWebSocketFrame frame) {
    try {
      reader.read(frame.content(), ctx.alloc(), this);
    } catch (InvalidUtf8Exception e) {
      metrics.malformed.increment();
      log.warn("Closing media socket {}: a text message that is not UTF-8", ctx.channel().id());
      close(BAD_DATA, "invalid UTF-8");
    } catch (MalformedFrameException e) {
      metrics.malformed.increment();
      if (++malformed > MALFORMED_BUDGET) {
        log.warn("Closing media socket {}: too many malformed messages", ctx.channel().id());
        close(BAD_DATA, "too many malformed messages");
      } else {
        log.debug(
            "Malformed media message on {}: {}", ctx.channel().id(), LogSafe.text(e.getMessage()));
      }
    }
  }

  /** A media frame: straight to the call, on this thread (it sends it on to speech recognition). */
  @Override
  public void media(String track, long chunk, long timestampMs, ByteBuf mulaw) {
    if (admitting && !isClosing()) {
      hold(mulaw);
      return;
    }
    if (listener == null || isClosing()) {
      if (listener == null) {
        metrics.outOfOrder.increment();
      }
      mulaw.release();
      return;
    }
    listener.onAudio(mulaw);
  }

  @Override
  public void event(StreamEvent event) {
    switch (event) {
      case StreamEvent.Connected c -> {}
      case StreamEvent.Unknown u -> metrics.unknown.increment();
      case StreamEvent.Start start -> start(start);
      default -> {
        if (admitting) {
          hold(event);
          return;
        }
        if (listener == null) {
          metrics.outOfOrder.increment();
          log.warn(
              "Closing media socket {}: {} before start", ctx.channel().id(), LogSafe.text(event));
          close(PROTOCOL_ERROR, "expected start");
          return;
        }
        if (event instanceof StreamEvent.Dtmf && ++dtmf > DTMF_BUDGET) {
          metrics.dtmfDropped.increment();
          if (dtmf == DTMF_BUDGET + 1) {
            log.warn(
                "Media socket {}: more than {} key presses; dropping the rest",
                ctx.channel().id(),
                DTMF_BUDGET);
          }
          return;
        }
        listener.onEvent(event);
      }
    }
  }

  private void start(StreamEvent.Start start) {
    if (listener != null || admitting) {
      metrics.outOfOrder.increment();
      log.warn("Ignored a second start on media socket {}", id());
      return;
    }
    Map<String, String> parameters = new HashMap<>(start.customParameters());
    String token = parameters.remove(TOKEN_PARAMETER);
    if (token == null) {
      refuse(start, "no token");
      return;
    }
    admitting = true;
    admissions.admit(
        token,
        start.callSid(),
        ctx.channel().eventLoop(),
        result -> admitted(start, parameters, result));
  }

  /** The token check's answer, back on this socket's loop. */
  private void admitted(
      StreamEvent.Start start, Map<String, String> parameters, StreamAdmissions.Result result) {
    admitting = false;
    if (isClosing() || !ctx.channel().isActive()) {
      // Timed out or gone while the token was checked: a spent token starts nothing here.
      releaseHeld();
      return;
    }
    switch (result) {
      case StreamAdmissions.Result.Refused refused -> refuse(start, "invalid or used token");
      case StreamAdmissions.Result.Failed failed -> {
        releaseHeld();
        // The database only ever saw the token's hash, so its error cannot quote the token.
        log.error(
            "Could not check the stream token of call {}: {}",
            LogSafe.text(start.callSid()),
            failed.error().toString());
        close(SERVER_ERROR, "stream token could not be checked");
      }
      case StreamAdmissions.Result.Admitted admitted -> begin(start, parameters, admitted);
    }
  }

  private void refuse(StreamEvent.Start start, String why) {
    releaseHeld();
    metrics.rejected.increment();
    log.warn(
        "Refused media stream {} for call {}: {}",
        LogSafe.text(start.streamSid()),
        LogSafe.text(start.callSid()),
        why);
    close(POLICY_VIOLATION, "invalid or already used stream token");
  }

  private void begin(
      StreamEvent.Start start,
      Map<String, String> parameters,
      StreamAdmissions.Result.Admitted admitted) {
    MediaTokens.Admission admission = admitted.admission();
    StreamStart started =
        new StreamStart(
            admission.callId(),
            start.callSid(),
            start.streamSid(),
            parameters,
            admission.base(),
            clock.instant());
    startDeadline.cancel(false);
    try {
      listener = streams.started(started, new ChannelOutput(ctx.channel(), this));
    } catch (RuntimeException e) {
      releaseHeld();
      log.error("Could not start call {} on its media stream", admission.callId(), e);
      close(SERVER_ERROR, "call could not start");
      return;
    }
    replayHeld();
  }

  /** Keeps a message that arrived while the token was checked, within the budget. */
  private void hold(Object message) {
    if (held.size() < HELD_BUDGET) {
      held.add(message);
      return;
    }
    metrics.outOfOrder.increment();
    if (message instanceof ByteBuf audio) {
      audio.release();
    }
  }

  /** Hands the held messages to the call in their order, as if they arrived now. */
  private void replayHeld() {
    Object message;
    while ((message = held.poll()) != null) {
      if (message instanceof ByteBuf audio) {
        media(null, 0, 0, audio);
      } else {
        event((StreamEvent) message);
      }
    }
  }

  private void releaseHeld() {
    Object message;
    while ((message = held.poll()) != null) {
      if (message instanceof ByteBuf audio) {
        audio.release();
      }
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof CorruptedWebSocketFrameException corrupted) {
      // The decoder has already sent its close (1002, 1007 or 1009) and is closing the channel.
      if (closeCode < 0) {
        closeCode = corrupted.closeStatus().code();
        closeReason = corrupted.closeStatus().reasonText();
      }
      ctx.close();
    } else if (cause instanceof TooLongFrameException) {
      close(TOO_BIG, "message too big");
    } else {
      log.debug("Media socket {} failed: {}", ctx.channel().id(), cause.toString());
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    metrics.open.decrementAndGet();
    startDeadline.cancel(false);
    releaseHeld();
    StreamListener ending = listener;
    listener = null;
    if (ending != null) {
      ending.onClosed(closeCode < 0 ? ABNORMAL : closeCode, closeReason);
    }
    ctx.fireChannelInactive();
  }

  /** Closes the socket with a close frame; later messages are ignored. */
  private void close(int code, String reason) {
    if (closing(code, reason)) {
      ctx.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(f -> ctx.close());
    }
  }

  /** Records the first close; false if the socket was already closing. On the loop only. */
  boolean closing(int code, String reason) {
    if (closeCode >= 0) {
      return false;
    }
    closeCode = code;
    closeReason = reason;
    return true;
  }

  boolean isClosing() {
    return closeCode >= 0;
  }
}
