package io.parley.campaigns;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One browser's progress stream of one campaign, written by the request's own (virtual) thread, the
 * stream's only writer: the feed only leaves the newest progress here and wakes it, so a slow or
 * stalled client never holds the feed or the other viewers. Progress the client had no time to take
 * is replaced by the newer one (each is complete), never queued. (Why not an {@code SseEmitter}:
 * see {@code calls.LiveCallsViewer}, which this follows.)
 *
 * <p>The stream ends after the {@code ended} event (the campaign finished), when the client leaves
 * (a write fails), the server stops or the campaign is gone, or when {@link #MAX_AGE} has passed: a
 * stream never outlives the access of its user by more than that, as reconnecting takes a new
 * ticket, so a valid sign-in.
 */
final class CampaignProgressViewer implements CampaignProgressFeed.Viewer {

  static final Duration MAX_AGE = Duration.ofMinutes(15);

  private static final byte[] HEARTBEAT = ":heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

  private final AtomicReference<String> pending = new AtomicReference<>();
  private final Semaphore wake = new Semaphore(0);
  private volatile String ended;
  private volatile boolean heartbeat;
  private volatile boolean closed;

  @Override
  public void progress(String json) {
    pending.set(json);
    wake.release();
  }

  @Override
  public void ended(String json) {
    ended = json;
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

  /**
   * Streams the campaign's progress until it ends, the client leaves, the feed stops or the stream
   * is {@code maxAge} old.
   */
  void stream(CampaignProgressFeed feed, UUID campaignId, OutputStream out, Duration maxAge)
      throws InterruptedException {
    long deadline = System.nanoTime() + maxAge.toNanos();
    Runnable leave = feed.subscribe(campaignId, this);
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
        // Read before the progress: the feed sends the last progress, then says it ended.
        String last = ended;
        String json = pending.getAndSet(null);
        if (json != null) {
          // Jackson writes no line breaks, so the object is one data line.
          out.write(event("progress", json));
        }
        if (last != null) {
          out.write(event("ended", last));
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
    } finally {
      leave.run();
    }
  }

  private static byte[] event(String name, String data) {
    return ("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
  }
}
