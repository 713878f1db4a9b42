package io.parley.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The feed on its own, with a source that counts its queries and viewers that record. */
class LiveCallsFeedTest {

  private static final Duration POLL = Duration.ofMillis(50);

  /** Counts the feed's queries; the list it answers is whatever the test set. */
  static final class CountingSource implements LiveCallsSource {
    final AtomicInteger queries = new AtomicInteger();
    final AtomicReference<List<LiveCall>> calls = new AtomicReference<>(List.of());

    @Override
    public List<LiveCall> inProgress() {
      queries.incrementAndGet();
      return calls.get();
    }
  }

  static final class RecordingViewer implements LiveCallsFeed.Viewer {
    final List<String> events = new CopyOnWriteArrayList<>();
    final AtomicInteger heartbeats = new AtomicInteger();
    volatile boolean closed;

    @Override
    public void calls(String json) {
      events.add(json);
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
  private final LiveCallsFeed feed =
      new LiveCallsFeed(source, JsonMapper.builder().build(), POLL, Duration.ofMillis(200));

  @AfterEach
  void stop() {
    feed.stop();
  }

  private static LiveCall call(CallStatus status) {
    return new LiveCall(
        UUID.fromString("00000000-0000-0000-0000-000000000001"),
        "CA1",
        CallDirection.OUTBOUND,
        null,
        null,
        "+14155550100",
        "+14155550101",
        status,
        "node-a",
        Instant.parse("2026-11-25T10:00:00Z"),
        null,
        null);
  }

  @Test
  void withoutViewersTheFeedNeverQueries() throws Exception {
    feed.start();
    Thread.sleep(POLL.toMillis() * 5);
    assertThat(source.queries).hasValue(0);
  }

  @Test
  void fiftyViewersShareOneQueryPerPoll() {
    Duration poll = Duration.ofMillis(100);
    LiveCallsFeed shared = new LiveCallsFeed(source, JsonMapper.builder().build(), poll, POLL);
    shared.start();
    try {
      source.calls.set(List.of(call(CallStatus.RINGING)));
      long started = System.nanoTime();
      List<RecordingViewer> viewers = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        RecordingViewer viewer = new RecordingViewer();
        viewers.add(viewer);
        shared.subscribe(viewer);
      }
      await().until(() -> viewers.stream().allMatch(v -> v.events.size() == 1));
      source.calls.set(List.of(call(CallStatus.IN_PROGRESS)));
      await().until(() -> viewers.stream().allMatch(v -> v.events.size() == 2));
      long polls = (System.nanoTime() - started) / poll.toNanos();

      // Counted, not timed: at most one query per poll so far, however many watch. A query per
      // viewer would be 50 at joining and 50 more for the change.
      assertThat(source.queries.get()).isLessThanOrEqualTo((int) polls + 2).isLessThan(50);
      assertThat(viewers.getFirst().events.get(1)).contains("\"status\":\"in_progress\"");
      assertThat(viewers).allMatch(v -> v.events.equals(viewers.getFirst().events));
    } finally {
      shared.stop();
    }
  }

  @Test
  void aViewerJoiningLaterGetsTheLatestListWithoutAQuery() {
    source.calls.set(List.of(call(CallStatus.RINGING)));
    // One poll when the first viewer comes, then none for an hour: any query after it is a
    // viewer's.
    LiveCallsFeed slow =
        new LiveCallsFeed(source, JsonMapper.builder().build(), Duration.ofHours(1), POLL);
    slow.start();
    try {
      RecordingViewer a = new RecordingViewer();
      slow.subscribe(a);
      await().until(() -> a.events.size() == 1);
      int queries = source.queries.get();
      RecordingViewer b = new RecordingViewer();
      slow.subscribe(b);
      assertThat(b.events).containsExactlyElementsOf(a.events);
      assertThat(source.queries).hasValue(queries);
    } finally {
      slow.stop();
    }
  }

  @Test
  void anUnchangedListIsNotSentAgainButHeartbeatsAre() throws Exception {
    feed.start();
    RecordingViewer viewer = new RecordingViewer();
    feed.subscribe(viewer);
    await().until(() -> viewer.heartbeats.get() >= 2);
    assertThat(source.queries.get()).isGreaterThan(2);
    assertThat(viewer.events).containsExactly("[]");
  }

  @Test
  void whenTheLastViewerLeavesPollingStops() throws Exception {
    feed.start();
    RecordingViewer viewer = new RecordingViewer();
    Runnable leave = feed.subscribe(viewer);
    await().until(() -> source.queries.get() >= 2);
    leave.run();
    assertThat(feed.viewers()).isZero();
    Thread.sleep(POLL.toMillis() * 2);
    int settled = source.queries.get();
    Thread.sleep(POLL.toMillis() * 5);
    assertThat(source.queries).hasValue(settled);
  }

  @Test
  void aFailingSourceIsRetriedAndViewersStay() {
    AtomicInteger failures = new AtomicInteger();
    LiveCallsFeed failing =
        new LiveCallsFeed(
            () -> {
              if (failures.incrementAndGet() <= 3) {
                throw new IllegalStateException("database down");
              }
              return List.of(call(CallStatus.RINGING));
            },
            JsonMapper.builder().build(),
            POLL,
            Duration.ofHours(1));
    failing.start();
    try {
      RecordingViewer viewer = new RecordingViewer();
      failing.subscribe(viewer);
      await().until(() -> viewer.events.size() == 1);
      assertThat(failures.get()).isGreaterThan(3);
    } finally {
      failing.stop();
    }
  }

  @Test
  void stoppingTheFeedClosesEveryViewer() {
    feed.start();
    RecordingViewer viewer = new RecordingViewer();
    feed.subscribe(viewer);
    feed.stop();
    assertThat(viewer.closed).isTrue();
    RecordingViewer late = new RecordingViewer();
    feed.subscribe(late);
    assertThat(late.closed).isTrue();
  }

  @Test
  void aStreamEndsAtItsMaximumAgeAndLeavesTheFeed() throws Exception {
    feed.start();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

    new LiveCallsViewer().stream(feed, out, Duration.ofMillis(300));

    assertThat(feed.viewers()).isZero();
    assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
        .startsWith("event: calls\ndata: []\n\n");
  }

  @Test
  void aClientThatLeftIsDroppedAtTheNextWrite() throws Exception {
    feed.start();
    java.io.OutputStream gone =
        new java.io.OutputStream() {
          @Override
          public void write(int b) throws java.io.IOException {
            throw new java.io.IOException("Broken pipe");
          }
        };

    new LiveCallsViewer().stream(feed, gone, Duration.ofMinutes(1));

    assertThat(feed.viewers()).isZero();
  }
}
