package io.parley.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moments a load benchmark needs that the simulators' other records lack, on the sim clock in
 * microseconds: when each Deepgram message went out, when the model's request arrived and each
 * token left, when a TTS socket received text and sent its first and last audio of a generation,
 * when a clear reached the caller, and how late the caller sent each of its 20 ms frames.
 *
 * <p>Off by default (nothing is kept, so long standalone runs stay small); {@link #record} turns it
 * on. Thread-safe: every simulator thread appends.
 */
public final class Timeline {

  /** What happened. */
  public enum Kind {
    /** A Deepgram listen message sent; key: CallSid, text: its label (see ListenSession). */
    STT_SENT,
    /** A chat completion request received; key: its {@code user}, ref: request number. */
    LLM_REQUEST,
    /** A streamed text token sent; key: {@code user}, ref: request number, text: the token. */
    LLM_TOKEN,
    /** Text received by a TTS socket; key: the socket's id. */
    TTS_TEXT,
    /** The first audio message of a generation sent; key: socket id, ref: emission id. */
    TTS_FIRST_AUDIO,
    /** The last audio message of a generation sent; key: socket id, ref: emission id. */
    TTS_LAST_AUDIO,
    /** A clear received by the caller; key: CallSid. */
    CLEAR
  }

  /** One moment. */
  public record Event(Kind kind, String key, long ref, String text, long atMicros) {}

  private final SimClock clock;
  private final AtomicLong ids = new AtomicLong();
  private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
  private volatile boolean on;
  private long[] lateness = new long[1024];
  private int latenessCount;

  public Timeline(SimClock clock) {
    this.clock = clock;
  }

  /** Starts or stops recording. */
  public void record(boolean enabled) {
    on = enabled;
  }

  public boolean recording() {
    return on;
  }

  /** A fresh id for a socket or request, so its events can be told apart. */
  public long nextId() {
    return ids.incrementAndGet();
  }

  public void add(Kind kind, String key, long ref, String text) {
    if (on) {
      events.add(new Event(kind, key, ref, text, clock.nowMicros()));
    }
  }

  /** How late (µs) the caller sent a frame against its 20 ms schedule. */
  public void frameLateness(long micros) {
    if (!on) {
      return;
    }
    synchronized (this) {
      if (latenessCount == lateness.length) {
        lateness = Arrays.copyOf(lateness, lateness.length * 2);
      }
      lateness[latenessCount++] = micros;
    }
  }

  public List<Event> events() {
    return new ArrayList<>(events);
  }

  public synchronized long[] latenessMicros() {
    return Arrays.copyOf(lateness, latenessCount);
  }

  /** Forgets everything recorded so far (between benchmark steps). */
  public synchronized void reset() {
    events.clear();
    latenessCount = 0;
  }
}
