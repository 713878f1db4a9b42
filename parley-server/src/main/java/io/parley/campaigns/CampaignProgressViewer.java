package io.parley.campaigns;

import io.parley.shared.LatestEventStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.UUID;

/**
 * One browser's progress stream of one campaign (events {@code progress}, then {@code ended} once
 * the campaign finished), written by the request's own thread ({@link LatestEventStream} says why
 * and how else it ends: the client leaves, the server stops or the campaign is gone, or it is
 * {@link #MAX_AGE} old).
 */
final class CampaignProgressViewer implements CampaignProgressFeed.Viewer {

  static final Duration MAX_AGE = Duration.ofMinutes(15);

  private final LatestEventStream events = new LatestEventStream("progress", "ended");

  @Override
  public void progress(String json) {
    events.offer(json);
  }

  @Override
  public void ended(String json) {
    events.finish(json);
  }

  @Override
  public void heartbeat() {
    events.heartbeat();
  }

  @Override
  public void close() {
    events.close();
  }

  /**
   * Streams the campaign's progress until it ends, the client leaves, the feed stops or the stream
   * is {@code maxAge} old.
   */
  void stream(CampaignProgressFeed feed, UUID campaignId, OutputStream out, Duration maxAge)
      throws InterruptedException {
    Runnable leave = feed.subscribe(campaignId, this);
    try {
      events.run(out, maxAge);
    } finally {
      leave.run();
    }
  }
}
