package io.parley.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.conversation.OutboundPacer.Cleared;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboundPacerTest {

  private static final long MS = 1_000_000L;

  /** Records what went out, in order: "f<utterance>:<first byte>" for frames, "m:<name>". */
  private static final class Recorder implements OutboundPacer.Sink {
    final List<String> events = new ArrayList<>();
    final List<byte[]> frames = new ArrayList<>();

    @Override
    public void frame(byte[] payload, int utterance) {
      assertThat(payload).hasSize(OutboundPacer.FRAME_BYTES);
      frames.add(payload);
      events.add("f" + utterance + ":" + payload[0]);
    }

    @Override
    public void mark(String name) {
      events.add("m:" + name);
    }

    int ends;

    @Override
    public void end() {
      ends++;
    }

    List<String> drain() {
      List<String> copy = List.copyOf(events);
      events.clear();
      return copy;
    }
  }

  /** Audio whose every frame-sized run holds the run's index, so frames can be told apart. */
  private static byte[] audio(int frames, int firstIndex) {
    byte[] bytes = new byte[frames * OutboundPacer.FRAME_BYTES];
    for (int i = 0; i < frames; i++) {
      Arrays.fill(
          bytes,
          i * OutboundPacer.FRAME_BYTES,
          (i + 1) * OutboundPacer.FRAME_BYTES,
          (byte) (firstIndex + i));
    }
    return bytes;
  }

  @Test
  void topsUpToTheLeadOnlyOnceTwilioHoldsNoMoreThanTheRefillAndEndsEachTopUpWithAMark() {
    OutboundPacer pacer = new OutboundPacer();
    Recorder sink = new Recorder();
    pacer.offer(audio(50, 0), 1);
    long t0 = 5_000 * MS;

    // 120 ms of lead at once: five frames, a progress mark, the sixth, the top-up's closing mark.
    assertThat(pacer.poll(t0, sink)).isEqualTo(6);
    assertThat(sink.drain())
        .containsExactly("f1:0", "f1:1", "f1:2", "f1:3", "f1:4", "m:p1", "f1:5", "m:p2");
    assertThat(sink.ends).isEqualTo(1);
    // Twilio holds 100, 80, 60 ms: nothing goes, and the sink hears of no poll.
    assertThat(pacer.poll(t0 + 20 * MS, sink)).isZero();
    assertThat(pacer.poll(t0 + 40 * MS, sink)).isZero();
    assertThat(pacer.poll(t0 + 60 * MS, sink)).isZero();
    assertThat(pacer.nextFrameDueNanos()).isEqualTo(t0 + 80 * MS);
    assertThat(sink.ends).isEqualTo(1);
    // At 40 ms held: four frames bring it back to 120 ms, then one mark.
    assertThat(pacer.poll(t0 + 80 * MS, sink)).isEqualTo(4);
    assertThat(sink.drain()).containsExactly("f1:6", "f1:7", "f1:8", "f1:9", "m:p3");
    assertThat(sink.ends).isEqualTo(2);
    // A poll a whole period late still finds 20 ms held: the caller hears no gap.
    assertThat(pacer.poll(t0 + 180 * MS, sink)).isEqualTo(5);
    assertThat(pacer.bufferedNanos(t0 + 180 * MS)).isEqualTo(120 * MS);
  }

  @Test
  void aRefillAboveTheLeadIsRefused() {
    assertThatThrownBy(() -> new OutboundPacer(Duration.ofMillis(100), Duration.ofMillis(120), 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OutboundPacer(Duration.ofMillis(100), Duration.ofMillis(-1), 5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sendsTheLeadAtOnceThenOneFramePerTwentyMillisecondsFrameByFrame() {
    OutboundPacer pacer = new OutboundPacer(OutboundPacer.DEFAULT_LEAD);
    Recorder sink = new Recorder();
    pacer.offer(audio(50, 0), 1);
    long t0 = 5_000 * MS;

    // 120 ms of lead: six frames immediately.
    assertThat(pacer.poll(t0, sink)).isEqualTo(6);
    assertThat(pacer.poll(t0, sink)).isZero();
    assertThat(pacer.poll(t0 + 19 * MS, sink)).isZero();
    assertThat(pacer.poll(t0 + 20 * MS, sink)).isEqualTo(1);
    assertThat(pacer.poll(t0 + 39 * MS, sink)).isZero();
    // A late poll catches up, but only to the lead.
    assertThat(pacer.poll(t0 + 100 * MS, sink)).isEqualTo(4);
    assertThat(pacer.nextFrameDueNanos()).isEqualTo(t0 + 120 * MS);
    assertThat(sink.frames).hasSize(11);
    for (int i = 0; i < 11; i++) {
      assertThat(sink.frames.get(i)[0]).isEqualTo((byte) i);
    }
  }

  @Test
  void neverBuffersMoreThanTheLeadAheadOfRealTime() {
    OutboundPacer pacer = new OutboundPacer(Duration.ofMillis(100));
    Recorder sink = new Recorder();
    pacer.offer(audio(200, 0), 1);
    long start = 0;
    long sentAudioEnds = start;
    int total = 0;
    // Irregular polling: every 7 ms for two seconds.
    for (long now = start; now < start + 2_000 * MS; now += 7 * MS) {
      int sent = pacer.poll(now, sink);
      sentAudioEnds = Math.max(sentAudioEnds, now) + sent * OutboundPacer.FRAME_NANOS;
      total += sent;
      assertThat(sentAudioEnds - now).isLessThanOrEqualTo(100 * MS);
    }
    // Two seconds of real time played 100 frames, plus the lead, minus the last poll's gap.
    assertThat(total).isBetween(104, 105);
  }

  @Test
  void anUnderrunStartsAFreshLead() {
    OutboundPacer pacer = new OutboundPacer();
    Recorder sink = new Recorder();
    pacer.offer(audio(2, 0), 1);
    assertThat(pacer.poll(0, sink)).isEqualTo(2);
    assertThat(pacer.nextFrameDueNanos()).isEqualTo(Long.MAX_VALUE);

    // Long after those 40 ms played out, new audio may again fill the whole lead.
    pacer.offer(audio(10, 2), 1);
    assertThat(pacer.poll(1_000 * MS, sink)).isEqualTo(6);
  }

  @Test
  void marksGoOutRightAfterTheAudioBeforeThem() {
    OutboundPacer pacer = new OutboundPacer(Duration.ofMillis(40));
    Recorder sink = new Recorder();
    pacer.offer(audio(3, 0), 7);
    pacer.mark("chunk-1");
    pacer.offer(audio(1, 3), 7);
    pacer.mark("chunk-2");

    assertThat(pacer.poll(0, sink)).isEqualTo(2);
    assertThat(sink.drain()).containsExactly("f7:0", "f7:1");
    assertThat(pacer.poll(20 * MS, sink)).isEqualTo(1);
    assertThat(sink.drain()).containsExactly("f7:2", "m:chunk-1");
    assertThat(pacer.poll(40 * MS, sink)).isEqualTo(1);
    assertThat(sink.drain()).containsExactly("f7:3", "m:chunk-2");
  }

  @Test
  void aMarkWithNoAudioBeforeItGoesOutAtOnce() {
    OutboundPacer pacer = new OutboundPacer();
    Recorder sink = new Recorder();
    pacer.mark("greeting-done");
    assertThat(pacer.poll(0, sink)).isZero();
    assertThat(sink.drain()).containsExactly("m:greeting-done");
  }

  @Test
  void aPartialFrameIsHeldUntilMoreAudioThenJoinedWithoutPadding() {
    OutboundPacer pacer = new OutboundPacer();
    Recorder sink = new Recorder();
    byte[] first = new byte[100];
    Arrays.fill(first, (byte) 1);
    byte[] second = new byte[100];
    Arrays.fill(second, (byte) 2);

    pacer.offer(first, 1);
    assertThat(pacer.queuedFrames()).isZero();
    assertThat(pacer.poll(0, sink)).isZero();
    pacer.offer(second, 1);
    assertThat(pacer.poll(0, sink)).isEqualTo(1);

    byte[] frame = sink.frames.getFirst();
    assertThat(Arrays.copyOfRange(frame, 0, 100)).containsOnly(1);
    assertThat(Arrays.copyOfRange(frame, 100, 160)).containsOnly(2);
    // The other 40 bytes wait for more audio or a boundary.
    assertThat(pacer.queuedFrames()).isZero();
  }

  @Test
  void aMarkPadsThePartialFrameWithMulawSilence() {
    OutboundPacer pacer = new OutboundPacer();
    Recorder sink = new Recorder();
    byte[] chunk = new byte[170];
    Arrays.fill(chunk, (byte) 5);
    pacer.offer(chunk, 1);
    pacer.mark("end");

    assertThat(pacer.poll(0, sink)).isEqualTo(2);
    byte[] last = sink.frames.get(1);
    assertThat(Arrays.copyOfRange(last, 0, 10)).containsOnly(5);
    assertThat(Arrays.copyOfRange(last, 10, 160)).containsOnly(OutboundPacer.SILENCE);
    assertThat(sink.events.getLast()).isEqualTo("m:end");
  }

  @Test
  void flushPadsWithoutAMark() {
    OutboundPacer pacer = new OutboundPacer();
    Recorder sink = new Recorder();
    pacer.offer(new byte[1], 1);
    pacer.flush();
    pacer.flush();
    assertThat(pacer.poll(0, sink)).isEqualTo(1);
    assertThat(Arrays.copyOfRange(sink.frames.getFirst(), 1, 160))
        .containsOnly(OutboundPacer.SILENCE);
  }

  @Test
  void aNewUtteranceNeverSharesAFrameWithThePreviousOne() {
    OutboundPacer pacer = new OutboundPacer();
    Recorder sink = new Recorder();
    byte[] tail = new byte[80];
    Arrays.fill(tail, (byte) 9);
    pacer.offer(tail, 1);
    pacer.offer(audio(1, 20), 2);

    assertThat(pacer.poll(0, sink)).isEqualTo(2);
    assertThat(sink.drain()).containsExactly("f1:9", "f2:20");
    assertThat(sink.ends).isEqualTo(1);
    assertThat(Arrays.copyOfRange(sink.frames.getFirst(), 80, 160))
        .containsOnly(OutboundPacer.SILENCE);
    assertThat(sink.frames.get(1)).containsOnly(20);
  }

  @Test
  void clearDropsEverythingQueuedAndReportsThePendingMarks() {
    OutboundPacer pacer = new OutboundPacer();
    Recorder sink = new Recorder();
    pacer.offer(audio(8, 0), 1);
    pacer.mark("a");
    pacer.offer(audio(2, 8), 1);
    pacer.mark("b");
    pacer.offer(new byte[30], 1);
    assertThat(pacer.poll(0, sink)).isEqualTo(6);

    Cleared cleared = pacer.clear();

    // Two frames before "a", two before "b", and the partial one.
    assertThat(cleared).isEqualTo(new Cleared(5, List.of("a", "b")));
    assertThat(pacer.queuedFrames()).isZero();
    sink.drain();
    assertThat(pacer.poll(1_000 * MS, sink)).isZero();
    assertThat(sink.events).isEmpty();
    // Nothing from before the clear leaks into what follows, and Twilio's buffer is empty again.
    pacer.offer(audio(7, 50), 2);
    assertThat(pacer.poll(21 * MS, sink)).isEqualTo(6);
    // (a progress mark follows every fifth frame of speech, and a top-up that fills the lead)
    assertThat(sink.drain())
        .containsExactly("f2:50", "f2:51", "f2:52", "f2:53", "f2:54", "m:p3", "f2:55", "m:p4");
    assertThat(pacer.clear()).isEqualTo(new Cleared(1, List.of()));
  }

  @Test
  void sameUtteranceNumberAfterAClearStillPaces() {
    OutboundPacer pacer = new OutboundPacer(Duration.ofMillis(20));
    Recorder sink = new Recorder();
    pacer.offer(audio(3, 0), 4);
    assertThat(pacer.poll(0, sink)).isEqualTo(1);
    pacer.clear();
    pacer.offer(audio(2, 10), 4);
    assertThat(pacer.poll(5 * MS, sink)).isEqualTo(1);
    assertThat(pacer.poll(24 * MS, sink)).isZero();
    assertThat(pacer.poll(25 * MS, sink)).isEqualTo(1);
    assertThat(sink.drain()).containsExactly("f4:0", "f4:10", "f4:11");
  }

  @Test
  void nextFrameDueTellsTheWriterWhenToWakeUp() {
    OutboundPacer pacer = new OutboundPacer(Duration.ofMillis(60));
    Recorder sink = new Recorder();
    assertThat(pacer.nextFrameDueNanos()).isEqualTo(Long.MAX_VALUE);
    pacer.offer(audio(5, 0), 1);
    assertThat(pacer.nextFrameDueNanos()).isEqualTo(Long.MIN_VALUE);
    assertThat(pacer.poll(100 * MS, sink)).isEqualTo(3);
    assertThat(pacer.nextFrameDueNanos()).isEqualTo(120 * MS);
    assertThat(pacer.poll(pacer.nextFrameDueNanos(), sink)).isEqualTo(1);
  }

  // ---- what the caller heard: progress marks, played, rewind -----------------------------------

  /** Collects {@link OutboundPacer#played} reports: utterance → bytes heard. */
  private static final class Heard implements OutboundPacer.Heard {
    final java.util.Map<Integer, Integer> bytes = new java.util.TreeMap<>();

    @Override
    public void heard(int utterance, int n) {
      bytes.merge(utterance, n, Integer::sum);
    }
  }

  @Test
  void aProgressMarkFollowsEveryFifthFrameOfSpeechButNotOfFiller() {
    OutboundPacer pacer = new OutboundPacer(Duration.ofSeconds(1));
    Recorder sink = new Recorder();
    pacer.offer(audio(3, 0), OutboundPacer.FILLER);
    pacer.offer(audio(12, 3), 1);

    pacer.poll(0, sink);

    assertThat(sink.drain())
        .containsExactly(
            "f0:0", "f0:1", "f0:2", "f1:3", "f1:4", "f1:5", "f1:6", "f1:7", "m:p1", "f1:8", "f1:9",
            "f1:10", "f1:11", "f1:12", "m:p2", "f1:13", "f1:14");
  }

  @Test
  void aCallersMarkResetsTheProgressCountAndNoProgressMarkDoublesIt() {
    OutboundPacer pacer = new OutboundPacer(Duration.ofSeconds(1));
    Recorder sink = new Recorder();
    pacer.offer(audio(5, 0), 1);
    pacer.mark("c1");
    pacer.offer(audio(4, 5), 2);
    pacer.mark("c2");

    pacer.poll(0, sink);

    assertThat(sink.drain())
        .containsExactly(
            "f1:0", "f1:1", "f1:2", "f1:3", "f1:4", "m:c1", "f2:5", "f2:6", "f2:7", "f2:8", "m:c2");
  }

  @Test
  void playedReportsWhatEachUtteranceHadPlayedAndTheCallersMarkName() {
    OutboundPacer pacer = new OutboundPacer(Duration.ofSeconds(1));
    Recorder sink = new Recorder();
    Heard heard = new Heard();
    pacer.offer(audio(7, 0), 1);
    pacer.mark("c1");
    pacer.offer(audio(3, 7), 2);
    pacer.poll(0, sink);
    assertThat(sink.drain()).contains("m:p1", "m:c1");

    assertThat(pacer.played("p1", heard)).isNull();
    assertThat(heard.bytes).containsExactly(java.util.Map.entry(1, 5 * 160));
    assertThat(pacer.played("c1", heard)).isEqualTo("c1");
    assertThat(heard.bytes).containsExactly(java.util.Map.entry(1, 7 * 160));
    // a name the pacer does not wait for (never sent, or already confirmed) changes nothing
    assertThat(pacer.played("c1", heard)).isNull();
    assertThat(pacer.played("zz", heard)).isNull();
    assertThat(heard.bytes).containsExactly(java.util.Map.entry(1, 7 * 160));
  }

  @Test
  void rewindSendsAgainFromTheLastConfirmedMarkWithNewMarkNames() {
    OutboundPacer pacer = new OutboundPacer(Duration.ofMillis(120));
    Recorder sink = new Recorder();
    Heard heard = new Heard();
    pacer.offer(audio(8, 0), 3);
    pacer.mark("c3");
    pacer.offer(audio(4, 8), 4);
    pacer.mark("c4");
    assertThat(pacer.poll(0, sink)).isEqualTo(6);
    assertThat(pacer.poll(40 * MS, sink)).isEqualTo(2);
    assertThat(sink.drain())
        .containsExactly(
            "f3:0", "f3:1", "f3:2", "f3:3", "f3:4", "m:p1", "f3:5", "f3:6", "f3:7", "m:c3");
    pacer.played("p1", heard); // frames 0-4 played

    // the caller starts to speak: Twilio is cleared, frames 5-7 were not heard
    assertThat(pacer.rewind()).isEqualTo(3);
    assertThat(pacer.bufferedNanos(50 * MS)).isZero();
    // Twilio echoes the cleared marks at once: they are not heard audio
    assertThat(pacer.played("c3", heard)).isNull();
    assertThat(heard.bytes).containsExactly(java.util.Map.entry(3, 5 * 160));

    // the reply resumes from frame 5 with a fresh lead; the mark goes out under a new name
    assertThat(pacer.poll(2_000 * MS, sink)).isEqualTo(6);
    assertThat(sink.drain())
        .containsExactly("f3:5", "f3:6", "f3:7", "m:c3~1", "f4:8", "f4:9", "f4:10");
    assertThat(pacer.played("c3~1", heard)).isEqualTo("c3");
    assertThat(heard.bytes).containsExactly(java.util.Map.entry(3, 8 * 160));
    pacer.poll(2_100 * MS, sink);
    assertThat(sink.drain()).containsExactly("f4:11", "m:c4");
    assertThat(pacer.played("c4", heard)).isEqualTo("c4");
    assertThat(heard.bytes)
        .containsExactly(java.util.Map.entry(3, 8 * 160), java.util.Map.entry(4, 4 * 160));
  }

  @Test
  void rewindingTwiceRenamesTheMarkAgainAndFillerIsNeverSentAgain() {
    OutboundPacer pacer = new OutboundPacer(Duration.ofMillis(100));
    Recorder sink = new Recorder();
    pacer.offer(audio(2, 0), OutboundPacer.FILLER);
    pacer.offer(audio(2, 2), 5);
    pacer.mark("c5");
    pacer.poll(0, sink);
    sink.drain();

    assertThat(pacer.rewind()).isEqualTo(2);
    pacer.poll(1_000 * MS, sink);
    assertThat(sink.drain()).containsExactly("f5:2", "f5:3", "m:c5~1");
    assertThat(pacer.rewind()).isEqualTo(2);
    pacer.poll(2_000 * MS, sink);
    assertThat(sink.drain()).containsExactly("f5:2", "f5:3", "m:c5~2");
    assertThat(pacer.played("c5~1", new Heard())).isNull();
    assertThat(pacer.played("c5~2", new Heard())).isEqualTo("c5");
  }

  @Test
  void clearAfterSendingReportsTheCallersMarksThatWillNotComeBackAsPlayed() {
    OutboundPacer pacer = new OutboundPacer(Duration.ofSeconds(1));
    Recorder sink = new Recorder();
    pacer.offer(audio(2, 0), 1);
    pacer.mark("c1");
    pacer.offer(audio(2, 2), 2);
    pacer.mark("c2");
    pacer.poll(0, sink);
    assertThat(pacer.played("c1", new Heard())).isEqualTo("c1");

    assertThat(pacer.clear()).isEqualTo(new Cleared(0, List.of("c2")));
    assertThat(pacer.played("c2", new Heard())).isNull();
    assertThat(pacer.rewind()).isZero();
  }

  @Test
  void aPeerThatNeverEchoesMarksCannotMakeThePacerHoldMoreThanAMinute() {
    OutboundPacer pacer = new OutboundPacer(Duration.ofMillis(20));
    Recorder sink = new Recorder();
    int frames = OutboundPacer.MAX_UNCONFIRMED_FRAMES + 100;
    pacer.offer(audio(frames, 0), 1);
    for (int i = 0; i < frames; i++) {
      pacer.poll(i * 20 * MS, sink);
    }
    assertThat(pacer.rewind()).isEqualTo(OutboundPacer.MAX_UNCONFIRMED_FRAMES);
  }

  @Test
  void leadShorterThanAFrameIsRefused() {
    assertThatThrownBy(() -> new OutboundPacer(Duration.ofMillis(19)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
