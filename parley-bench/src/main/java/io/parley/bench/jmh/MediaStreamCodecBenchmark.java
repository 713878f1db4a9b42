package io.parley.bench.jmh;

import io.parley.telephony.twilio.MediaStreamCodec;
import io.parley.telephony.twilio.StreamEvent;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The Media Streams codec: a {@code media} message is parsed fifty times a second per call (the
 * caller's audio) and one is written fifty times a second (the agent's); marks and {@code start}
 * are rarer but on the same socket.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MediaStreamCodecBenchmark {

  private final MediaStreamCodec codec = new MediaStreamCodec();
  private final String media = Frames.mediaMessage();
  private final String mark = Frames.markMessage();
  private final String start = Frames.startMessage();
  private final byte[] frame = Frames.speechFrame();

  /** Inbound, per frame: JSON walk plus base64 decode of the 160-byte payload. */
  @Benchmark
  public StreamEvent parseMedia() {
    return codec.parse(media);
  }

  @Benchmark
  public StreamEvent parseMark() {
    return codec.parse(mark);
  }

  /** Once per call; here to show what the rarer, larger message costs. */
  @Benchmark
  public StreamEvent parseStart() {
    return codec.parse(start);
  }

  /** Outbound, per frame: base64 encode of 160 bytes into the {@code media} JSON text. */
  @Benchmark
  public String serialiseMedia() {
    return codec.media(Frames.STREAM_SID, frame, 0, frame.length);
  }

  @Benchmark
  public String serialiseMark() {
    return codec.mark(Frames.STREAM_SID, "reply-7");
  }
}
