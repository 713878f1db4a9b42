package io.parley.bench.jmh;

import io.parley.conversation.audio.Ambience;
import io.parley.conversation.audio.Mulaw;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * G.711 μ-law over one 160-sample frame, into buffers owned by the state (no allocation). Encoding
 * is measured twice: on speech, whose sign changes a few times a frame, and on room tone (the
 * ambience loop), whose sign changes almost every sample, as the mixer's output does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MulawBenchmark {

  private final byte[] mulaw = Frames.speechFrame();
  private final short[] linear = new short[Frames.FRAME_BYTES];
  private final short[] roomTone = new short[Frames.FRAME_BYTES];
  private final byte[] encoded = new byte[Frames.FRAME_BYTES];

  {
    Ambience office = Ambience.office();
    for (int i = 0; i < mulaw.length; i++) {
      linear[i] = Mulaw.decode(mulaw[i]);
      roomTone[i] = office.sample(40_000 + i);
    }
  }

  @Benchmark
  public short[] decodeFrame() {
    short[] out = linear;
    for (int i = 0; i < mulaw.length; i++) {
      out[i] = Mulaw.decode(mulaw[i]);
    }
    return out;
  }

  @Benchmark
  public byte[] encodeFrame() {
    byte[] out = encoded;
    for (int i = 0; i < linear.length; i++) {
      out[i] = Mulaw.encode(linear[i]);
    }
    return out;
  }

  @Benchmark
  public byte[] encodeRoomToneFrame() {
    byte[] out = encoded;
    for (int i = 0; i < roomTone.length; i++) {
      out[i] = Mulaw.encode(roomTone[i]);
    }
    return out;
  }
}
