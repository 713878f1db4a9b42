package io.parley.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.parley.telephony.twilio.InboundMessages;
import io.parley.telephony.twilio.MediaStreamCodec;
import io.parley.telephony.twilio.OutboundMessages;
import io.parley.telephony.twilio.StreamEvent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The media plane's two frame paths, end to end inside the codec (issue 13): a Twilio {@code media}
 * message in, the caller's μ-law bytes out (what goes to Deepgram); the agent's μ-law frame in, the
 * Twilio {@code media} message out. One operation is one 20 ms frame.
 *
 * <p>The {@code *String*} methods are the String API ({@link MediaStreamCodec#parse} and {@link
 * MediaStreamCodec#media}), once as the servlet socket used it (the text already a String) and once
 * as it would sit on Netty, where a text frame arrives and leaves as a {@link ByteBuf} from the
 * channel's allocator ({@link ByteBufAllocator#DEFAULT}, as the media server uses). The {@code
 * *ByteBuf} methods are the ByteBuf API of issue 13 ({@link InboundMessages}, {@link
 * OutboundMessages}) on the same allocator.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FramePathBenchmark {

  private final MediaStreamCodec codec = new MediaStreamCodec();

  /**
   * {@code default}: Netty's default allocator (pooling; the media server's channels use it).
   * {@code unpooled}: a fresh buffer per message, to show what the pooling is worth.
   */
  @Param({"default"})
  public String allocator;

  private ByteBufAllocator alloc;
  private final String mediaText = Frames.mediaMessage();
  private final byte[] frame = Frames.speechFrame();
  private ByteBuf mediaUtf8;
  private final InboundMessages inbound = new InboundMessages(codec);
  private final OutboundMessages outbound = new OutboundMessages(Frames.STREAM_SID);
  private final ReleasingSink sink = new ReleasingSink();

  /** Stands in for the Deepgram socket's write, which releases the buffer once written. */
  private static final class ReleasingSink implements InboundMessages.Sink {
    int bytes;

    @Override
    public void media(String track, long chunk, long timestampMs, ByteBuf mulaw) {
      bytes += mulaw.readableBytes();
      mulaw.release();
    }

    @Override
    public void event(StreamEvent event) {
      throw new IllegalStateException("not a media frame: " + event);
    }
  }

  @Setup
  public void setUp() {
    alloc =
        allocator.equals("unpooled") ? UnpooledByteBufAllocator.DEFAULT : ByteBufAllocator.DEFAULT;
    // As Netty's WebSocket decoder hands over a text frame: the message's bytes in a direct buffer.
    mediaUtf8 = alloc.directBuffer(mediaText.length());
    mediaUtf8.writeCharSequence(mediaText, StandardCharsets.UTF_8);
  }

  @TearDown
  public void tearDown() {
    mediaUtf8.release();
  }

  /** Inbound, String API: the message already a String (as the servlet socket delivered it). */
  @Benchmark
  public byte[] inboundString() {
    return ((StreamEvent.Media) codec.parse(mediaText)).payload();
  }

  /**
   * Inbound, String API on Netty: the frame's bytes decoded to a String, parsed, and the payload
   * wrapped for the Deepgram socket's binary frame (released here, as that write would).
   */
  @Benchmark
  public int inboundStringOnNetty() {
    byte[] payload =
        ((StreamEvent.Media) codec.parse(mediaUtf8.toString(StandardCharsets.UTF_8))).payload();
    ByteBuf out = Unpooled.wrappedBuffer(payload);
    int length = out.readableBytes();
    out.release();
    return length;
  }

  /** Outbound, String API: one frame to the {@code media} message as a String. */
  @Benchmark
  public String outboundString() {
    return codec.media(Frames.STREAM_SID, frame, 0, frame.length);
  }

  /**
   * Outbound, String API on Netty: the String encoded into a buffer from the allocator, released
   * here as the socket's write would.
   */
  @Benchmark
  public int outboundStringOnNetty() {
    ByteBuf out =
        ByteBufUtil.writeUtf8(alloc, codec.media(Frames.STREAM_SID, frame, 0, frame.length));
    int length = out.readableBytes();
    out.release();
    return length;
  }

  /** Inbound, ByteBuf API: message bytes in, the μ-law in a buffer from the allocator out. */
  @Benchmark
  public int inboundByteBuf() {
    inbound.read(mediaUtf8, alloc, sink);
    return sink.bytes;
  }

  /** Outbound, ByteBuf API: the {@code media} message written into a buffer from the allocator. */
  @Benchmark
  public int outboundByteBuf() {
    ByteBuf out = outbound.media(alloc, frame, 0, frame.length);
    int length = out.readableBytes();
    out.release();
    return length;
  }
}
