package io.parley.calls;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One browser's live calls stream, written by the request's own (virtual) thread, the stream's only
 * writer: the feed only leaves the newest list here and wakes it, so a slow or stalled client never
 * holds the feed or the other viewers. A list the client had no time to take is replaced by the
 * newer one (each is complete), never queued.
 *
 * <p>Not an asynchronous {@code SseEmitter}: its sends come from another thread than the
 * container's own, and a client leaving at the moment of a send let Tomcat recycle the response
 * while it was being written (an ERROR with a stack trace in a test). Here nothing touches the
 * response but the thread that owns it, and a virtual thread blocked on a stream costs next to
 * nothing.
 *
 * <p>The stream ends when the client leaves (a write fails), the server stops, or {@link #MAX_AGE}
 * has passed: a stream never outlives the access of its user by more than that, as reconnecting
 * takes a new ticket, so a valid sign-in.
 */
final class LiveCallsViewer implements LiveCallsFeed.Viewer {

  static final Duration MAX_AGE = Duration.ofMinutes(15);

  private static final byte[] HEARTBEAT = ":heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

  private final AtomicReference<String> pending = new AtomicReference<>();
  private final Semaphore wake = new Semaphore(0);
  private volatile boolean heartbeat;
  private volatile boolean closed;

  @Override
  public void calls(String json) {
    pending.set(json);
    wake.release();
  }

  @Override
  public void heartbeat() {
    heartbeat = true;
    wake.release();
  }

  @Override
  public void close() {
    closed = true;
    wake.release();
  }

  /** Streams until the client leaves, the feed stops or the stream is {@link #MAX_AGE} old. */
  void stream(LiveCallsFeed feed, OutputStream out, Duration maxAge) throws InterruptedException {
    long deadline = System.nanoTime() + maxAge.toNanos();
    Runnable leave = feed.subscribe(this);
    try {
      while (!closed) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !wake.tryAcquire(left, TimeUnit.NANOSECONDS)) {
          return;
        }
        wake.drainPermits();
        if (closed) {
          return;
        }
        String json = pending.getAndSet(null);
        if (json != null) {
          // Jackson writes no line breaks, so the array is one data line.
          out.write(("event: calls\ndata: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
        if (heartbeat) {
          heartbeat = false;
          out.write(HEARTBEAT);
        }
        out.flush();
      }
    } catch (IOException gone) {
      // The client left: nothing to tell anyone.
    } finally {
      leave.run();
    }
  }
}
