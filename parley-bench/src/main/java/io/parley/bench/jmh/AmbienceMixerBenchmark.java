package io.parley.bench.jmh;

import io.parley.conversation.audio.Ambience;
import io.parley.conversation.audio.AmbienceMixer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Background ambience on one outbound frame, as a call with {@code backgroundAmbience} does. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AmbienceMixerBenchmark {

  private final byte[] speech = Frames.speechFrame();
  private final byte[] frame = new byte[Frames.FRAME_BYTES];
  private AmbienceMixer mixer;

  @Setup
  public void setUp() {
    // The office loop is generated on first use; do it here, outside the measurement.
    mixer = new AmbienceMixer(Ambience.office().cursor(new Random(7)));
  }

  /**
   * Mixes into a fresh copy of the speech frame each time (mixing in place over and over would
   * drift the frame towards full scale); the 160-byte copy costs a few nanoseconds of the figure.
   */
  @Benchmark
  public byte[] mixInto() {
    System.arraycopy(speech, 0, frame, 0, frame.length);
    mixer.mixInto(frame);
    return frame;
  }

  /** A frame of room tone alone, for the silences between replies. */
  @Benchmark
  public byte[] silenceFrame() {
    mixer.silenceFrame(frame);
    return frame;
  }
}
