package io.parley.calls;

import io.parley.shared.LatestEventStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * One browser's live calls stream (event {@code calls}), written by the request's own thread
 * ({@link LatestEventStream} says why and how it ends).
 */
final class LiveCallsViewer implements LiveCallsFeed.Viewer {

  static final Duration MAX_AGE = Duration.ofMinutes(15);

  private final LatestEventStream events = new LatestEventStream("calls", "ended");

  @Override
  public void calls(String json) {
    events.offer(json);
  }

  @Override
  public void heartbeat() {
    events.heartbeat();
  }

  @Override
  public void close() {
    events.close();
  }

  /** Streams until the client leaves, the feed stops or the stream is {@code maxAge} old. */
  void stream(LiveCallsFeed feed, OutputStream out, Duration maxAge) throws InterruptedException {
    Runnable leave = feed.subscribe(this);
    try {
      events.run(out, maxAge);
    } finally {
      leave.run();
    }
  }
}
