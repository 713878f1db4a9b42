package io.parley.bench.jmh;

import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The JDK's base64 on one 160-byte frame, the calls {@link
 * io.parley.telephony.twilio.MediaStreamCodec} makes, to separate their share of parse and
 * serialise from the JSON work.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Base64Benchmark {

  private final Base64.Encoder encoder = Base64.getEncoder();
  private final Base64.Decoder decoder = Base64.getDecoder();
  private final byte[] frame = Frames.speechFrame();
  private final String encoded = Base64.getEncoder().encodeToString(frame);

  @Benchmark
  public String encodeFrame() {
    return encoder.encodeToString(frame);
  }

  @Benchmark
  public byte[] decodeFrame() {
    return decoder.decode(encoded);
  }
}
