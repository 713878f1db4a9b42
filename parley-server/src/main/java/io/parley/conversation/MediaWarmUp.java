package io.parley.conversation;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.parley.media.ClassPreload;
import io.parley.telephony.twilio.MediaStreamCodec;
import io.parley.telephony.twilio.StreamEvent;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Starts the node warm: before the readiness probe says ready (Spring Boot publishes readiness
 * after its application runners), synthetic frames go through the frame path a call uses — Twilio
 * media messages through the WebSocket frame codecs and the media-message parser, agent audio
 * through the pacer, the outbound renderer and the frame codecs back — so the JIT has compiled it
 * before the first caller's audio arrives. In-memory channels: no socket, no provider, no call.
 */
@Component
class MediaWarmUp implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(MediaWarmUp.class);

  /** What a warm-up pushed through: media messages in and out, and marks out. */
  record Pushed(int inbound, int outbound, int marks) {}

  /**
   * What a call's media loop runs: loaded before the first call, so no call waits on its loop while
   * a class is read from the jar.
   */
  static final String[] MEDIA_PACKAGES = {
    "io/parley/media",
    "io/parley/telephony",
    "io/parley/conversation",
    "io/parley/stt",
    "io/parley/tts",
    "io/parley/llm",
    "io/netty/buffer",
    "io/netty/channel",
    "io/netty/handler/codec",
    "io/netty/handler/timeout",
    "io/netty/handler/flush",
    "io/netty/resolver",
    "io/netty/util",
  };

  private final int frames;

  MediaWarmUp(@Value("${parley.media.warm-up-frames:5000}") int frames) {
    this.frames = Math.max(0, frames);
  }

  @Override
  public void run(ApplicationArguments args) {
    if (frames == 0) {
      return;
    }
    // (class loading comes first: the frames then run through loaded classes)
    long started = System.nanoTime();
    int classes = ClassPreload.load(getClass().getClassLoader(), MEDIA_PACKAGES);
    Pushed pushed = push(frames);
    log.info(
        "Media path warmed up in {} ms: {} classes loaded, {} frames in, {} out, {} marks",
        (System.nanoTime() - started) / 1_000_000,
        classes,
        pushed.inbound(),
        pushed.outbound(),
        pushed.marks());
  }

  /** Pushes {@code count} frames each way through the frame path. */
  static Pushed push(int count) {
    MediaStreamCodec codec = new MediaStreamCodec();
    String streamSid = "MZ00000000000000000000000000000000";
    WebSocketDecoderConfig config =
        WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(16 * 1024).build();
    // Twilio's side masks what it sends, as a WebSocket client must; Parley's side does not.
    EmbeddedChannel twilio =
        new EmbeddedChannel(
            new WebSocket13FrameEncoder(true),
            new WebSocket13FrameDecoder(false, false, 16 * 1024));
    EmbeddedChannel parley =
        new EmbeddedChannel(
            new WebSocket13FrameEncoder(false), new WebSocket13FrameDecoder(config));
    Counter counter = new Counter(codec, streamSid, parley, twilio);
    OutboundPacer pacer = new OutboundPacer();
    byte[] frame = new byte[OutboundPacer.FRAME_BYTES];
    long now = 0;
    try {
      for (int i = 0; i < count; i++) {
        frame[i % frame.length] = (byte) i;
        String message =
            "{\"event\":\"media\",\"sequenceNumber\":\""
                + (i + 2)
                + "\",\"media\":{\"track\":\"inbound\",\"chunk\":\""
                + (i + 1)
                + "\",\"timestamp\":\""
                + i * 20
                + "\",\"payload\":\""
                + Base64.getEncoder().encodeToString(frame)
                + "\"},\"streamSid\":\""
                + streamSid
                + "\"}";
        twilio.writeOutbound(new TextWebSocketFrame(message));
        ByteBuf wire = twilio.readOutbound();
        parley.writeInbound(wire);
        TextWebSocketFrame read = parley.readInbound();
        try {
          if (codec.parse(read.text()) instanceof StreamEvent.Media) {
            counter.inbound++;
          }
        } finally {
          read.release();
        }
        pacer.offer(frame, 1);
        now += OutboundPacer.FRAME_NANOS;
        pacer.poll(now, counter);
        String played = counter.lastMark;
        if (played != null) {
          counter.lastMark = null;
          pacer.played(played, (utterance, bytes) -> {});
        }
      }
    } finally {
      twilio.finishAndReleaseAll();
      parley.finishAndReleaseAll();
    }
    return new Pushed(counter.inbound, counter.outbound, counter.marks);
  }

  /** The pacer's sink: renders and frames each message, reads it back as Twilio would. */
  private static final class Counter implements OutboundPacer.Sink {
    private final MediaStreamCodec codec;
    private final String streamSid;
    private final EmbeddedChannel parley;
    private final EmbeddedChannel twilio;
    int inbound;
    int outbound;
    int marks;
    String lastMark;

    Counter(
        MediaStreamCodec codec, String streamSid, EmbeddedChannel parley, EmbeddedChannel twilio) {
      this.codec = codec;
      this.streamSid = streamSid;
      this.parley = parley;
      this.twilio = twilio;
    }

    @Override
    public void frame(byte[] payload, int utterance) {
      send(codec.media(streamSid, payload, 0, payload.length));
      outbound++;
    }

    @Override
    public void mark(String name) {
      send(codec.mark(streamSid, name));
      marks++;
      lastMark = name;
    }

    private void send(String message) {
      parley.writeOutbound(new TextWebSocketFrame(message));
      ByteBuf wire = parley.readOutbound();
      twilio.writeInbound(wire);
      TextWebSocketFrame read = twilio.readInbound();
      read.release();
    }
  }
}
