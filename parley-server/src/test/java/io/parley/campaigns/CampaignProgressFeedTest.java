package io.parley.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The feed on its own, with a source that counts its reads per campaign and viewers that record.
 */
class CampaignProgressFeedTest {

  private static final Duration POLL = Duration.ofMillis(50);
  private static final UUID A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
  private static final UUID B = UUID.fromString("00000000-0000-0000-0000-00000000000b");

  /** Counts the feed's reads of each campaign; answers whatever the test set for it. */
  static final class CountingSource implements CampaignProgressSource {
    final Map<UUID, AtomicInteger> reads = new ConcurrentHashMap<>();
    final Map<UUID, CampaignLiveProgress> campaigns = new ConcurrentHashMap<>();

    @Override
    public Optional<CampaignLiveProgress> progress(UUID campaignId) {
      reads.computeIfAbsent(campaignId, id -> new AtomicInteger()).incrementAndGet();
      return Optional.ofNullable(campaigns.get(campaignId));
    }

    int reads(UUID campaignId) {
      AtomicInteger count = reads.get(campaignId);
      return count == null ? 0 : count.get();
    }
  }

  static final class RecordingViewer implements CampaignProgressFeed.Viewer {
    final List<String> events = new CopyOnWriteArrayList<>();
    final AtomicInteger heartbeats = new AtomicInteger();
    volatile String ended;
    volatile boolean closed;

    @Override
    public void progress(String json) {
      events.add(json);
    }

    @Override
    public void ended(String json) {
      ended = json;
    }

    @Override
    public void heartbeat() {
      heartbeats.incrementAndGet();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private final CountingSource source = new CountingSource();
  private final List<CampaignProgressFeed> feeds = new ArrayList<>();

  private CampaignProgressFeed feed(Duration poll, Duration heartbeat) {
    CampaignProgressFeed feed =
        new CampaignProgressFeed(source, JsonMapper.builder().build(), poll, heartbeat);
    feed.start();
    feeds.add(feed);
    return feed;
  }

  @AfterEach
  void stop() {
    feeds.forEach(CampaignProgressFeed::stop);
  }

  private static CampaignLiveProgress progress(
      UUID id, CampaignStatus status, long pending, long dialing) {
    Map<String, Long> leads = new LinkedHashMap<>();
    leads.put("pending", pending);
    leads.put("dialing", dialing);
    leads.put("done", 0L);
    return new CampaignLiveProgress(
        id,
        status,
        leads,
        new CampaignProgress(
            dialing, 0, 3, 2, 1, Map.of("completed", 1L), 3, 0.5, 0.5, 2L, 1, 0, 0.0, 0.5));
  }

  @Test
  void withoutViewersNothingIsRead() throws Exception {
    feed(POLL, Duration.ofHours(1));
    source.campaigns.put(A, progress(A, CampaignStatus.RUNNING, 5, 1));
    Thread.sleep(POLL.toMillis() * 5);
    assertThat(source.reads).isEmpty();
  }

  @Test
  void fiftyViewersOfACampaignShareOneReadPerPoll() {
    Duration poll = Duration.ofMillis(100);
    CampaignProgressFeed feed = feed(poll, Duration.ofHours(1));
    source.campaigns.put(A, progress(A, CampaignStatus.RUNNING, 10, 2));
    long started = System.nanoTime();
    List<RecordingViewer> viewers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      RecordingViewer viewer = new RecordingViewer();
      viewers.add(viewer);
      feed.subscribe(A, viewer);
    }
    await().until(() -> viewers.stream().allMatch(v -> v.events.size() == 1));
    source.campaigns.put(A, progress(A, CampaignStatus.RUNNING, 9, 3));
    await().until(() -> viewers.stream().allMatch(v -> v.events.size() == 2));
    long polls = (System.nanoTime() - started) / poll.toNanos();

    // Counted, not timed: at most one read per poll so far, however many watch. A read per viewer
    // would be 50 at joining and 50 more for the change.
    assertThat(source.reads(A)).isLessThanOrEqualTo((int) polls + 2).isLessThan(50);
    assertThat(viewers.getFirst().events.get(1))
        .contains("\"status\":\"running\"")
        .contains("\"leads\":{\"pending\":9,\"dialing\":3,\"done\":0}")
        .contains("\"progress\":{\"inCall\":3,");
    assertThat(viewers).allMatch(v -> v.events.equals(viewers.getFirst().events));
    assertThat(feed.viewers()).isEqualTo(50);
    assertThat(feed.campaigns()).isEqualTo(1);
  }

  @Test
  void eachWatchedCampaignIsReadOnItsOwnAndItsViewersSeeOnlyIt() {
    CampaignProgressFeed feed = feed(POLL, Duration.ofHours(1));
    source.campaigns.put(A, progress(A, CampaignStatus.RUNNING, 10, 0));
    source.campaigns.put(B, progress(B, CampaignStatus.PAUSED, 20, 0));
    RecordingViewer a = new RecordingViewer();
    RecordingViewer b = new RecordingViewer();
    feed.subscribe(A, a);
    feed.subscribe(B, b);
    await().until(() -> a.events.size() == 1 && b.events.size() == 1);

    assertThat(a.events.getFirst()).contains(A.toString()).doesNotContain(B.toString());
    assertThat(b.events.getFirst()).contains(B.toString()).contains("\"status\":\"paused\"");
    assertThat(feed.campaigns()).isEqualTo(2);
    await().until(() -> source.reads(A) >= 3 && source.reads(B) >= 3);
  }

  @Test
  void aViewerJoiningLaterGetsTheLatestProgressWithoutARead() {
    source.campaigns.put(A, progress(A, CampaignStatus.RUNNING, 10, 0));
    // One read when the first viewer comes, then none for an hour: any read after it is a
    // viewer's.
    CampaignProgressFeed feed = feed(Duration.ofHours(1), Duration.ofHours(1));
    RecordingViewer first = new RecordingViewer();
    feed.subscribe(A, first);
    await().until(() -> first.events.size() == 1);
    int reads = source.reads(A);
    RecordingViewer later = new RecordingViewer();
    feed.subscribe(A, later);
    assertThat(later.events).containsExactlyElementsOf(first.events);
    assertThat(source.reads(A)).isEqualTo(reads);
  }

  @Test
  void unchangedProgressIsNotSentAgainButHeartbeatsAre() {
    CampaignProgressFeed feed = feed(POLL, Duration.ofMillis(200));
    source.campaigns.put(A, progress(A, CampaignStatus.RUNNING, 10, 0));
    RecordingViewer viewer = new RecordingViewer();
    feed.subscribe(A, viewer);
    await().until(() -> viewer.heartbeats.get() >= 2);
    assertThat(source.reads(A)).isGreaterThan(2);
    assertThat(viewer.events).hasSize(1);
  }

  @Test
  void whenTheLastViewerOfACampaignLeavesItIsNoLongerRead() throws Exception {
    CampaignProgressFeed feed = feed(POLL, Duration.ofHours(1));
    source.campaigns.put(A, progress(A, CampaignStatus.RUNNING, 10, 0));
    source.campaigns.put(B, progress(B, CampaignStatus.RUNNING, 10, 0));
    Runnable leaveA = feed.subscribe(A, new RecordingViewer());
    feed.subscribe(B, new RecordingViewer());
    await().until(() -> source.reads(A) >= 2);
    leaveA.run();
    assertThat(feed.campaigns()).isEqualTo(1);
    Thread.sleep(POLL.toMillis() * 2);
    int settled = source.reads(A);
    int readsOfB = source.reads(B);
    Thread.sleep(POLL.toMillis() * 5);
    assertThat(source.reads(A)).isEqualTo(settled);
    assertThat(source.reads(B)).as("B still watched").isGreaterThan(readsOfB);
  }

  @Test
  void aFinishedCampaignSendsItsLastProgressThenEndedAndIsForgotten() {
    CampaignProgressFeed feed = feed(POLL, Duration.ofHours(1));
    source.campaigns.put(A, progress(A, CampaignStatus.CANCELLED, 0, 2));
    RecordingViewer viewer = new RecordingViewer();
    feed.subscribe(A, viewer);
    await().until(() -> viewer.events.size() == 1);
    // Cancelled with calls still in progress: those calls' settlements are still to come.
    assertThat(viewer.ended).isNull();

    source.campaigns.put(A, progress(A, CampaignStatus.CANCELLED, 0, 0));
    await().until(() -> viewer.ended != null);
    assertThat(viewer.events).hasSize(2);
    assertThat(viewer.ended).isEqualTo(viewer.events.get(1));
    assertThat(feed.campaigns()).isZero();
    assertThat(feed.viewers()).isZero();

    // A viewer coming after the end gets the final progress and the end at the first read.
    RecordingViewer late = new RecordingViewer();
    feed.subscribe(A, late);
    await().until(() -> late.ended != null);
    assertThat(late.events).containsExactly(viewer.ended);
  }

  @Test
  void aCampaignThatIsGoneClosesItsViewers() {
    CampaignProgressFeed feed = feed(POLL, Duration.ofHours(1));
    RecordingViewer viewer = new RecordingViewer();
    feed.subscribe(A, viewer);
    await().until(() -> viewer.closed);
    assertThat(viewer.events).isEmpty();
    assertThat(feed.campaigns()).isZero();
  }

  @Test
  void aFailingSourceIsRetriedAndViewersStay() {
    AtomicInteger failures = new AtomicInteger();
    CampaignProgressFeed failing =
        new CampaignProgressFeed(
            id -> {
              if (failures.incrementAndGet() <= 3) {
                throw new IllegalStateException("database down");
              }
              return Optional.of(progress(id, CampaignStatus.RUNNING, 1, 0));
            },
            JsonMapper.builder().build(),
            POLL,
            Duration.ofHours(1));
    failing.start();
    feeds.add(failing);
    RecordingViewer viewer = new RecordingViewer();
    failing.subscribe(A, viewer);
    await().until(() -> viewer.events.size() == 1);
    assertThat(failures.get()).isGreaterThan(3);
    assertThat(viewer.closed).isFalse();
  }

  @Test
  void stoppingTheFeedClosesEveryViewer() {
    CampaignProgressFeed feed = feed(POLL, Duration.ofHours(1));
    source.campaigns.put(A, progress(A, CampaignStatus.RUNNING, 1, 0));
    RecordingViewer viewer = new RecordingViewer();
    feed.subscribe(A, viewer);
    feed.stop();
    assertThat(viewer.closed).isTrue();
    RecordingViewer late = new RecordingViewer();
    feed.subscribe(A, late);
    assertThat(late.closed).isTrue();
  }

  @Test
  void aStreamWritesProgressThenEndedAndLeavesTheFeed() throws Exception {
    CampaignProgressFeed feed = feed(POLL, Duration.ofHours(1));
    source.campaigns.put(A, progress(A, CampaignStatus.COMPLETED, 0, 0));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    new CampaignProgressViewer().stream(feed, A, out, Duration.ofMinutes(1));

    assertThat(feed.viewers()).isZero();
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).startsWith("event: progress\ndata: {\"id\":\"" + A + "\"");
    String data = text.substring("event: progress\ndata: ".length(), text.indexOf("\n\n"));
    assertThat(text).endsWith("\n\nevent: ended\ndata: " + data + "\n\n");
  }

  @Test
  void aStreamEndsAtItsMaximumAgeAndLeavesTheFeed() throws Exception {
    CampaignProgressFeed feed = feed(POLL, Duration.ofHours(1));
    source.campaigns.put(A, progress(A, CampaignStatus.RUNNING, 1, 0));
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    new CampaignProgressViewer().stream(feed, A, out, Duration.ofMillis(300));

    assertThat(feed.viewers()).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("event: progress\ndata: {");
  }

  @Test
  void aClientThatLeftIsDroppedAtTheNextWrite() throws Exception {
    CampaignProgressFeed feed = feed(POLL, Duration.ofHours(1));
    source.campaigns.put(A, progress(A, CampaignStatus.RUNNING, 1, 0));
    OutputStream gone =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("Broken pipe");
          }
        };

    new CampaignProgressViewer().stream(feed, A, gone, Duration.ofMinutes(1));

    assertThat(feed.viewers()).isZero();
    assertThat(feed.campaigns()).isZero();
  }
}
