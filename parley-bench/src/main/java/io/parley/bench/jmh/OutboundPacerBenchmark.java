package io.parley.bench.jmh;

import io.parley.conversation.OutboundPacer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The pacer in steady state: one 160-byte frame offered and one sent per 20 ms, the clock a plain
 * counter moved on by a frame each operation (the pacer reads no clock of its own).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OutboundPacerBenchmark {

  private final byte[] frame = Frames.speechFrame();
  private OutboundPacer pacer;
  private OutboundPacer.Sink sink;
  private long now;

  @Setup
  public void setUp(Blackhole blackhole) {
    pacer = new OutboundPacer();
    sink = new BlackholeSink(blackhole);
    now = 0;
  }

  /** Offer one frame of utterance 1, move the clock 20 ms on, poll: one frame reaches the sink. */
  @Benchmark
  public int offerAndPoll() {
    pacer.offer(frame, 1);
    now += OutboundPacer.FRAME_NANOS;
    return pacer.poll(now, sink);
  }

  /** Hands what the pacer sends to JMH so nothing is optimised away. */
  record BlackholeSink(Blackhole blackhole) implements OutboundPacer.Sink {
    @Override
    public void frame(byte[] payload, int utterance) {
      blackhole.consume(payload);
    }

    @Override
    public void mark(String name) {
      blackhole.consume(name);
    }
  }
}
