package io.parley.conversation;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Paces the agent's μ-law audio to Twilio in 20 ms frames, keeping at most {@code lead} of audio
 * buffered at Twilio so a {@code clear} silences the caller's line almost at once. Marks go out
 * right after the audio queued before them, so a returning mark proves that audio was played.
 *
 * <p>Audio goes out in top-ups: nothing is sent while Twilio holds more than {@code refill}; once
 * it holds that little, frames go until it holds {@code lead} again. With the defaults (120 ms
 * lead, 40 ms refill) a speaking call sends about 80 ms of audio every 80 ms, which the writer puts
 * in one media message followed by a progress mark, flushed together: one socket write per top-up
 * instead of one per 20 ms frame (issue 13 measured the same CPU and 10–20 % fewer context switches
 * than frame by frame). With {@code refill} equal to {@code lead} every poll tops up.
 *
 * <p>Every frame sent stays here until a mark after it comes back: besides the marks the caller
 * asks for, a progress mark follows every {@code progressFrames} frames of speech (100 ms by
 * default). So the pacer knows, to within that much, what the caller has heard: {@link #played}
 * reports it, and {@link #rewind} puts what was sent but not yet heard back in front of the queue
 * (a barge-in pause: Twilio's buffer is emptied with {@code clear}, and a resumed reply repeats at
 * most one progress interval). A mark that is sent again gets a new name on the wire ({@code
 * c5~1}), so the echoes of the old one that Twilio sends on {@code clear} are told apart.
 *
 * <p>One instance per call, owned by the call's writer; not thread-safe. It reads no clock: every
 * {@link #poll} is given the current time, so tests drive it with a fake clock.
 */
public final class OutboundPacer {

  /** 20 ms of 8 kHz μ-law. */
  public static final int FRAME_BYTES = 160;

  public static final long FRAME_NANOS = 20_000_000L;
  public static final Duration DEFAULT_LEAD = Duration.ofMillis(120);

  /**
   * Top up once Twilio holds no more than this: two frame periods, so a tick that runs a whole
   * period late (a busy loop) still finds a frame buffered and the caller hears no gap.
   */
  public static final Duration DEFAULT_REFILL = Duration.ofMillis(40);

  /** A progress mark after every 5 frames of speech: what was heard is known to 100 ms. */
  public static final int DEFAULT_PROGRESS_FRAMES = 5;

  /**
   * The utterance number of filler audio (room tone): never followed by progress marks, never sent
   * again by {@link #rewind}.
   */
  public static final int FILLER = 0;

  /**
   * Sent frames kept while their marks have not come back: 60 s. Twilio echoes every mark, so this
   * bound only matters if a peer stops doing so; the oldest are then forgotten.
   */
  static final int MAX_UNCONFIRMED_FRAMES = 3000;

  /** μ-law encoding of a zero sample. */
  static final byte SILENCE = (byte) 0xFF;

  private static final String PROGRESS_PREFIX = "p";
  private static final char RESEND_SEPARATOR = '~';

  /** Receives what is due; called on the polling thread. */
  public interface Sink {
    /**
     * A 160-byte frame. The pacer keeps it (it may be sent again after a {@link #rewind}), so the
     * sink must not change it.
     */
    void frame(byte[] payload, int utterance);

    void mark(String name);

    /**
     * The poll that handed over frames or marks is over: what it handed over can leave together.
     */
    default void end() {}
  }

  /** Learns how much of each utterance the caller has heard, as marks come back. */
  public interface Heard {
    void heard(int utterance, int bytes);
  }

  /**
   * What a {@link #clear} dropped.
   *
   * @param droppedFrames frames never sent, counting a partly filled one
   * @param pendingMarks marks queued or sent that will never come back as played, in order
   */
  public record Cleared(int droppedFrames, List<String> pendingMarks) {}

  /** A mark to send: the caller's name, or null for a progress mark; sent {@code sends} times. */
  private record Mark(String name, int sends) {}

  /** A mark on its way: the name it went out with, and the mark it stands for. */
  private record SentMark(String wireName, Mark mark) {}

  private record UtteranceStart(int utterance) {}

  private final long leadNanos;
  private final long refillNanos;
  private final int progressFrames;
  // Frames (byte[]), marks and utterance changes, in the order they go out.
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  // What went out and is not yet known to have played, in order: frames of speech (filler is not
  // kept), utterance changes and sent marks.
  private final ArrayDeque<Object> unconfirmed = new ArrayDeque<>();
  private int unconfirmedFrames;
  private int queuedFrames;
  private byte[] partial;
  private int partialFill;
  private int queuedUtterance;
  private boolean anyUtterance;
  private int sendingUtterance;
  // The utterance of the oldest unconfirmed frame.
  private int confirmedUtterance;
  private int framesSinceMark;
  private long progressMarks;
  private int marksSent;
  // When the audio already sent will have finished playing at Twilio; MIN_VALUE when nothing is.
  private long playheadNanos = Long.MIN_VALUE;

  /** Top-ups of {@link #DEFAULT_REFILL} to {@link #DEFAULT_LEAD}, a progress mark after each. */
  public OutboundPacer() {
    this(DEFAULT_LEAD, DEFAULT_REFILL, DEFAULT_PROGRESS_FRAMES);
  }

  /** Frame by frame: at most {@code lead} buffered, a progress mark every fifth frame. */
  public OutboundPacer(Duration lead) {
    this(lead, DEFAULT_PROGRESS_FRAMES);
  }

  /** Frame by frame: at most {@code lead} buffered. */
  public OutboundPacer(Duration lead, int progressFrames) {
    this(lead, lead, progressFrames);
  }

  /**
   * @param lead the most audio Twilio is given ahead of real time
   * @param refill send nothing while Twilio holds more than this; {@code lead} to top up on every
   *     poll (frame by frame)
   * @param progressFrames a progress mark after this many frames of speech, and (when {@code
   *     refill} is below {@code lead}) at the end of every top-up of speech; 0 for none (what was
   *     heard is then known only at the caller's own marks)
   */
  public OutboundPacer(Duration lead, Duration refill, int progressFrames) {
    Objects.requireNonNull(lead, "lead");
    Objects.requireNonNull(refill, "refill");
    if (lead.toNanos() < FRAME_NANOS) {
      throw new IllegalArgumentException("lead must be at least one 20 ms frame");
    }
    if (refill.isNegative() || refill.compareTo(lead) > 0) {
      throw new IllegalArgumentException("refill must be between 0 and the lead");
    }
    if (progressFrames < 0) {
      throw new IllegalArgumentException("progressFrames must not be negative");
    }
    this.leadNanos = lead.toNanos();
    this.refillNanos = refill.toNanos();
    this.progressFrames = progressFrames;
  }

  /**
   * Queues audio of one utterance. Audio of a new utterance first closes the previous one's last
   * frame, padded with silence, so two replies never share a frame.
   */
  public void offer(byte[] audio, int utterance) {
    Objects.requireNonNull(audio, "audio");
    if (!anyUtterance || utterance != queuedUtterance) {
      flush();
      queue.add(new UtteranceStart(utterance));
      queuedUtterance = utterance;
      anyUtterance = true;
    }
    int offset = 0;
    if (partialFill > 0) {
      int take = Math.min(FRAME_BYTES - partialFill, audio.length);
      System.arraycopy(audio, 0, partial, partialFill, take);
      partialFill += take;
      offset = take;
      if (partialFill == FRAME_BYTES) {
        enqueueFrame(partial);
        partial = null;
        partialFill = 0;
      }
    }
    while (audio.length - offset >= FRAME_BYTES) {
      enqueueFrame(Arrays.copyOfRange(audio, offset, offset + FRAME_BYTES));
      offset += FRAME_BYTES;
    }
    int rest = audio.length - offset;
    if (rest > 0) {
      if (partial == null) {
        partial = new byte[FRAME_BYTES];
      }
      System.arraycopy(audio, offset, partial, 0, rest);
      partialFill = rest;
    }
  }

  /** Queues a mark after all audio offered so far, closing a partly filled frame with silence. */
  public void mark(String name) {
    Objects.requireNonNull(name, "name");
    flush();
    queue.add(new Mark(name, 0));
  }

  /** Sends a partly filled last frame, padded with silence (the end of an utterance). */
  public void flush() {
    if (partialFill > 0) {
      Arrays.fill(partial, partialFill, FRAME_BYTES, SILENCE);
      enqueueFrame(partial);
      partial = null;
      partialFill = 0;
    }
  }

  /**
   * A mark came back from Twilio under {@code wireName}: everything sent before it has played.
   * Tells {@code heard} how much of each utterance that was.
   *
   * @return the name the caller gave the mark; null for a progress mark, and for a mark this pacer
   *     no longer waits for (an echo of one dropped by {@link #clear} or {@link #rewind})
   */
  public String played(String wireName, Heard heard) {
    if (!awaits(wireName)) {
      return null;
    }
    int utterance = confirmedUtterance;
    int bytes = 0;
    while (true) {
      Object item = unconfirmed.poll();
      switch (item) {
        case byte[] frame -> {
          bytes += frame.length;
          unconfirmedFrames--;
        }
        case UtteranceStart(int next) -> {
          if (bytes > 0) {
            heard.heard(utterance, bytes);
          }
          utterance = next;
          bytes = 0;
        }
        case SentMark sent -> {
          if (sent.wireName().equals(wireName)) {
            if (bytes > 0) {
              heard.heard(utterance, bytes);
            }
            confirmedUtterance = utterance;
            return sent.mark().name();
          }
        }
        default -> throw new IllegalStateException("unexpected " + item);
      }
    }
  }

  private boolean awaits(String wireName) {
    for (Object item : unconfirmed) {
      if (item instanceof SentMark sent && sent.wireName().equals(wireName)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Puts every frame sent but not yet known to have played back in front of the queue, with the
   * caller's marks among them (progress marks and filler are dropped): a pause in the caller's
   * favour. The session sends {@code clear}, which empties Twilio's buffer, so the next poll starts
   * a fresh lead from the last point the caller is known to have heard.
   *
   * @return the frames put back
   */
  public int rewind() {
    ArrayDeque<Object> back = new ArrayDeque<>(unconfirmed.size() + queue.size() + 1);
    int frames = 0;
    if (!unconfirmed.isEmpty()) {
      back.add(new UtteranceStart(confirmedUtterance));
    }
    for (Object item : unconfirmed) {
      switch (item) {
        case byte[] frame -> {
          back.add(frame);
          frames++;
        }
        case UtteranceStart start -> back.add(start);
        case SentMark(String wireName, Mark mark) -> {
          if (mark.name() != null) {
            back.add(new Mark(mark.name(), mark.sends()));
          }
        }
        default -> throw new IllegalStateException("unexpected " + item);
      }
    }
    unconfirmed.clear();
    unconfirmedFrames = 0;
    back.addAll(queue);
    queue.clear();
    queue.addAll(back);
    queuedFrames += frames;
    framesSinceMark = 0;
    playheadNanos = Long.MIN_VALUE;
    return frames;
  }

  /**
   * Drops everything not yet played (barge-in); Twilio's own buffer is emptied by {@code clear}.
   */
  public Cleared clear() {
    int dropped = queuedFrames + (partialFill > 0 ? 1 : 0);
    List<String> marks = new ArrayList<>();
    for (Object item : unconfirmed) {
      if (item instanceof SentMark(String wireName, Mark mark) && mark.name() != null) {
        marks.add(mark.name());
      }
    }
    for (Object item : queue) {
      if (item instanceof Mark mark && mark.name() != null) {
        marks.add(mark.name());
      }
    }
    queue.clear();
    unconfirmed.clear();
    unconfirmedFrames = 0;
    queuedFrames = 0;
    partialFill = 0;
    anyUtterance = false;
    framesSinceMark = 0;
    // Twilio's buffer is cleared too, so the next audio starts a fresh lead.
    playheadNanos = Long.MIN_VALUE;
    return new Cleared(dropped, List.copyOf(marks));
  }

  /**
   * Hands the sink every frame and mark due at {@code nowNanos}: when Twilio holds no more than
   * {@code refill}, frames until {@code lead} of audio is buffered ahead of now; and the marks that
   * follow them. Ends with {@link Sink#end} when anything was handed over.
   *
   * @return the number of frames sent
   */
  public int poll(long nowNanos, Sink sink) {
    Objects.requireNonNull(sink, "sink");
    // After an underrun Twilio has played everything: the buffer starts empty at now.
    long playhead = Math.max(playheadNanos, nowNanos);
    boolean topUp = playhead - nowNanos <= refillNanos;
    int sent = 0;
    boolean full = false;
    int marksBefore = marksSent;
    while (!queue.isEmpty()) {
      Object head = queue.peek();
      if (head instanceof byte[] frame) {
        if (!topUp) {
          break;
        }
        if (playhead + FRAME_NANOS - nowNanos > leadNanos) {
          full = true;
          break;
        }
        queue.poll();
        queuedFrames--;
        playhead += FRAME_NANOS;
        sent++;
        sink.frame(frame, sendingUtterance);
        if (sendingUtterance != FILLER) {
          keep(frame);
          if (progressFrames > 0
              && ++framesSinceMark >= progressFrames
              && !(queue.peek() instanceof Mark)) {
            send(new Mark(null, 0), sink);
          }
        }
      } else if (head instanceof Mark mark) {
        queue.poll();
        send(mark, sink);
      } else if (head instanceof UtteranceStart start) {
        queue.poll();
        sendingUtterance = start.utterance();
        unconfirmed.add(start);
      }
    }
    if (sent > 0) {
      playheadNanos = playhead;
    }
    // A top-up that filled the lead ends with a mark (what was heard is known to within one
    // top-up), so the mark leaves with its audio; audio that comes in no faster than it plays keeps
    // the mark every progressFrames instead of one per frame.
    if (full
        && refillNanos < leadNanos
        && progressFrames > 0
        && framesSinceMark > 0
        && !(queue.peek() instanceof Mark)) {
      send(new Mark(null, 0), sink);
    }
    if (sent > 0 || marksSent != marksBefore) {
      sink.end();
    }
    return sent;
  }

  /** Keeps a sent frame of speech until a mark after it comes back. */
  private void keep(byte[] frame) {
    unconfirmed.add(frame);
    unconfirmedFrames++;
    while (unconfirmedFrames > MAX_UNCONFIRMED_FRAMES) {
      Object oldest = unconfirmed.poll();
      if (oldest instanceof byte[]) {
        unconfirmedFrames--;
      } else if (oldest instanceof UtteranceStart(int utterance)) {
        confirmedUtterance = utterance;
      }
    }
  }

  private void send(Mark mark, Sink sink) {
    String wireName;
    if (mark.name() == null) {
      wireName = PROGRESS_PREFIX + ++progressMarks;
    } else if (mark.sends() == 0) {
      wireName = mark.name();
    } else {
      wireName = mark.name() + RESEND_SEPARATOR + mark.sends();
    }
    unconfirmed.add(new SentMark(wireName, new Mark(mark.name(), mark.sends() + 1)));
    framesSinceMark = 0;
    marksSent++;
    sink.mark(wireName);
  }

  /**
   * The earliest time a {@link #poll} can send a frame, so the writer knows how long to sleep;
   * {@link Long#MAX_VALUE} when no whole frame is queued. A time in the past means now.
   */
  public long nextFrameDueNanos() {
    if (queuedFrames == 0) {
      return Long.MAX_VALUE;
    }
    if (playheadNanos == Long.MIN_VALUE) {
      return Long.MIN_VALUE;
    }
    return Math.max(playheadNanos - refillNanos, playheadNanos + FRAME_NANOS - leadNanos);
  }

  /**
   * How much audio already sent has not played yet at {@code nowNanos}: what Twilio still holds.
   */
  public long bufferedNanos(long nowNanos) {
    return playheadNanos == Long.MIN_VALUE ? 0 : Math.max(0, playheadNanos - nowNanos);
  }

  /** Whole frames waiting to be sent. */
  public int queuedFrames() {
    return queuedFrames;
  }

  private void enqueueFrame(byte[] frame) {
    queue.add(frame);
    queuedFrames++;
  }
}
