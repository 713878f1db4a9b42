package io.parley.bench.jmh;

import io.parley.conversation.OutboundPacer;
import io.parley.conversation.audio.Ambience;
import io.parley.conversation.audio.AmbienceMixer;
import io.parley.telephony.twilio.MediaStreamCodec;
import java.util.Random;
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
 * The whole per-frame outbound path of a call's writer, as CallSession's pacer sink runs it: the
 * pacer hands over a due frame, ambience is mixed into it, and it is written as a Media Streams
 * {@code media} message. Sending the text on the socket is not included. One frame of TTS audio is
 * offered per operation so the pacer always has one due.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OutboundFrameBenchmark {

  private final byte[] tts = Frames.speechFrame();
  private final MediaStreamCodec codec = new MediaStreamCodec();
  private OutboundPacer pacer;
  private OutboundPacer.Sink sink;
  private long now;

  @Setup
  public void setUp(Blackhole blackhole) {
    AmbienceMixer mixer = new AmbienceMixer(Ambience.office().cursor(new Random(7)));
    pacer = new OutboundPacer();
    now = 0;
    sink =
        new OutboundPacer.Sink() {
          @Override
          public void frame(byte[] payload, int utterance) {
            mixer.mixInto(payload);
            blackhole.consume(codec.media(Frames.STREAM_SID, payload, 0, payload.length));
          }

          @Override
          public void mark(String name) {
            blackhole.consume(codec.mark(Frames.STREAM_SID, name));
          }
        };
  }

  /** Pacer poll → mix → serialise for one 20 ms frame (plus the offer that queued it). */
  @Benchmark
  public int pollMixSerialise() {
    pacer.offer(tts, 1);
    now += OutboundPacer.FRAME_NANOS;
    return pacer.poll(now, sink);
  }
}
