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
 * <p>One instance per call, owned by the call's writer; not thread-safe. It reads no clock: every
 * {@link #poll} is given the current time, so tests drive it with a fake clock.
 */
public final class OutboundPacer {

  /** 20 ms of 8 kHz μ-law. */
  public static final int FRAME_BYTES = 160;

  public static final long FRAME_NANOS = 20_000_000L;
  public static final Duration DEFAULT_LEAD = Duration.ofMillis(120);

  /** μ-law encoding of a zero sample. */
  static final byte SILENCE = (byte) 0xFF;

  /** Receives what is due; called on the polling thread. */
  public interface Sink {
    /** A 160-byte frame, now owned by the sink. */
    void frame(byte[] payload, int utterance);

    void mark(String name);
  }

  /**
   * What a {@link #clear} dropped.
   *
   * @param droppedFrames frames never sent, counting a partly filled one
   * @param pendingMarks marks that were queued and will never come back, in order
   */
  public record Cleared(int droppedFrames, List<String> pendingMarks) {}

  private record Mark(String name) {}

  private record UtteranceStart(int utterance) {}

  private final long leadNanos;
  // Frames (byte[]), marks and utterance changes, in the order they go out.
  private final ArrayDeque<Object> queue = new ArrayDeque<>();
  private int queuedFrames;
  private byte[] partial;
  private int partialFill;
  private int queuedUtterance;
  private boolean anyUtterance;
  private int sendingUtterance;
  // When the audio already sent will have finished playing at Twilio; MIN_VALUE when nothing is.
  private long playheadNanos = Long.MIN_VALUE;

  public OutboundPacer() {
    this(DEFAULT_LEAD);
  }

  public OutboundPacer(Duration lead) {
    Objects.requireNonNull(lead, "lead");
    if (lead.toNanos() < FRAME_NANOS) {
      throw new IllegalArgumentException("lead must be at least one 20 ms frame");
    }
    this.leadNanos = lead.toNanos();
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
    queue.add(new Mark(name));
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

  /** Drops everything not yet sent (barge-in); Twilio's own buffer is emptied by {@code clear}. */
  public Cleared clear() {
    int dropped = queuedFrames + (partialFill > 0 ? 1 : 0);
    List<String> marks = new ArrayList<>();
    for (Object item : queue) {
      if (item instanceof Mark(String name)) {
        marks.add(name);
      }
    }
    queue.clear();
    queuedFrames = 0;
    partialFill = 0;
    anyUtterance = false;
    // Twilio's buffer is cleared too, so the next audio starts a fresh lead.
    playheadNanos = Long.MIN_VALUE;
    return new Cleared(dropped, List.copyOf(marks));
  }

  /**
   * Hands the sink every frame and mark due at {@code nowNanos}: frames until {@code lead} of audio
   * is buffered ahead of now, and the marks that follow them.
   *
   * @return the number of frames sent
   */
  public int poll(long nowNanos, Sink sink) {
    Objects.requireNonNull(sink, "sink");
    // After an underrun Twilio has played everything: the buffer starts empty at now.
    long playhead = Math.max(playheadNanos, nowNanos);
    int sent = 0;
    while (!queue.isEmpty()) {
      Object head = queue.peek();
      if (head instanceof byte[] frame) {
        if (playhead + FRAME_NANOS - nowNanos > leadNanos) {
          break;
        }
        queue.poll();
        queuedFrames--;
        playhead += FRAME_NANOS;
        sent++;
        sink.frame(frame, sendingUtterance);
      } else if (head instanceof Mark(String name)) {
        queue.poll();
        sink.mark(name);
      } else if (head instanceof UtteranceStart(int utterance)) {
        queue.poll();
        sendingUtterance = utterance;
      }
    }
    if (sent > 0) {
      playheadNanos = playhead;
    }
    return sent;
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
    return playheadNanos + FRAME_NANOS - leadNanos;
  }

  /**
   * How much audio already sent has not played yet at {@code nowNanos}: what Twilio still holds.
   * The part of a reply the caller heard is what was sent minus this.
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
