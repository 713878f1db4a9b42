package io.parley.shared;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One browser's server-sent events stream of a state that is sent whole each time (the live calls,
 * a campaign's progress), written by the request's own (virtual) thread, the stream's only writer.
 * A feed only leaves the newest state here and wakes it, so a slow or stalled client never holds
 * the feed or the other viewers; a state the client had no time to take is replaced by the newer
 * one (each is complete), never queued. Every method but {@link #run} returns at once.
 *
 * <p>Not an asynchronous {@code SseEmitter}: its sends come from another thread than the
 * container's own, and a client leaving at the moment of a send let Tomcat recycle the response
 * while it was being written (an ERROR with a stack trace in a test). Here nothing touches the
 * response but the thread that owns it, and a virtual thread blocked on a stream costs next to
 * nothing.
 *
 * <p>The stream ends after a final event ({@link #finish}), when the client leaves (a write fails),
 * when the feed closes it, or when its maximum age has passed: a stream never outlives the access
 * of its user by more than that, as reconnecting takes a new ticket, so a valid sign-in.
 */
public final class LatestEventStream {

  private static final byte[] HEARTBEAT = ":heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

  private final String event;
  private final String finalEvent;
  private final AtomicReference<String> pending = new AtomicReference<>();
  private final Semaphore wake = new Semaphore(0);
  private volatile String last;
  private volatile boolean heartbeat;
  private volatile boolean closed;

  /**
   * @param event the name of each state's event
   * @param finalEvent the name of the event {@link #finish} sends
   */
  public LatestEventStream(String event, String finalEvent) {
    this.event = event;
    this.finalEvent = finalEvent;
  }

  /** The newest state (one line of JSON), replacing one not yet written. */
  public void offer(String json) {
    pending.set(json);
    wake.release();
  }

  /** The last word: written after any state still pending, then the stream ends. */
  public void finish(String json) {
    last = json;
    wake.release();
  }

  public void heartbeat() {
    heartbeat = true;
    wake.release();
  }

  /** Ends the stream without another event (the feed is stopping). */
  public void close() {
    closed = true;
    wake.release();
  }

  /** Writes events to {@code out} until the stream ends. */
  public void run(OutputStream out, Duration maxAge) throws InterruptedException {
    long deadline = System.nanoTime() + maxAge.toNanos();
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
        // Read before the state: a feed sends the last state, then the final word.
        String finalJson = last;
        String json = pending.getAndSet(null);
        if (json != null) {
          // Jackson writes no line breaks, so the JSON is one data line.
          out.write(event(event, json));
        }
        if (finalJson != null) {
          out.write(event(finalEvent, finalJson));
          out.flush();
          return;
        }
        if (heartbeat) {
          heartbeat = false;
          out.write(HEARTBEAT);
        }
        out.flush();
      }
    } catch (IOException gone) {
      // The client left: nothing to tell anyone.
    }
  }

  private static byte[] event(String name, String data) {
    return ("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
  }
}
