package io.parley.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import io.parley.support.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Jobs on the real database, with pollers of two nodes ("node-a", "node-b") sharing it and a clock
 * the test moves: each due job runs once whichever node claims it, a crashed node's job runs again
 * on the other after its lease, a live node keeps its job, failures retry with backoff and then
 * stay failed, and a dedupe key makes scheduling idempotent.
 */
@DbTest
class JobPollerTest {

  /** A handler of kind {@code test.record} that notes which node ran which attempt. */
  record Recording(String node, Map<UUID, List<String>> runs) implements JobHandler {
    @Override
    public String kind() {
      return "test.record";
    }

    @Override
    public void run(Job job) throws InterruptedException {
      runs.computeIfAbsent(job.id(), id -> new CopyOnWriteArrayList<>())
          .add(node + "#" + job.attempt());
      Thread.sleep(2);
    }
  }

  /** Of kind {@code test.record}, never finishes until released: a node that hangs or crashes. */
  static final class Stuck implements JobHandler {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public String kind() {
      return "test.record";
    }

    @Override
    public void run(Job job) throws InterruptedException {
      entered.countDown();
      release.await();
    }
  }

  @Autowired JdbcClient jdbc;
  @Autowired DataSource dataSource;
  @Autowired JobRepository repository;
  @Autowired PlatformTransactionManager transactions;
  @Autowired Jobs jobs;
  @Autowired JobPoller applicationPoller;

  private final ManualClock clock = new ManualClock("2026-12-01T10:00:00Z");
  private final List<JobPoller> pollers = new ArrayList<>();
  private final List<Stuck> stuck = new ArrayList<>();
  private final Map<UUID, List<String>> runs = new ConcurrentHashMap<>();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private static JobSettings settings(Duration pollInterval, int concurrency, int maxAttempts) {
    return new JobSettings(
        pollInterval,
        concurrency,
        Duration.ofSeconds(30),
        maxAttempts,
        Duration.ofSeconds(10),
        Duration.ofHours(1),
        Duration.ZERO);
  }

  /** A started poller whose own timer never fires (an hour), so the test drives its rounds. */
  private JobPoller poller(String node, int maxAttempts, JobHandler handler) {
    return poller(node, settings(Duration.ofHours(1), 4, maxAttempts), handler);
  }

  private JobPoller poller(String node, JobSettings settings, JobHandler handler) {
    JobPoller poller =
        new JobPoller(
            repository,
            new JobHandlers(List.of(handler)),
            settings,
            node,
            clock,
            transactions,
            meters);
    poller.start();
    pollers.add(poller);
    return poller;
  }

  private Stuck stuck() {
    Stuck handler = new Stuck();
    stuck.add(handler);
    return handler;
  }

  private UUID scheduleDue() {
    return jobs.schedule("test.record", "{\"n\": 1}", clock.instant());
  }

  record Row(String status, int attempts, Instant runAt, String leasedBy, String lastError) {}

  private Row row(UUID id) {
    return jdbc.sql(
            "SELECT status, attempts, run_at, leased_by, lease_until, last_error FROM job"
                + " WHERE id = :id")
        .param("id", id)
        .query(
            (rs, n) ->
                new Row(
                    rs.getString("status"),
                    rs.getInt("attempts"),
                    rs.getTimestamp("run_at").toInstant(),
                    rs.getTimestamp("lease_until") == null ? null : rs.getString("leased_by"),
                    rs.getString("last_error")))
        .optional()
        .orElse(null);
  }

  private long jobRows() {
    return jdbc.sql("SELECT COUNT(*) FROM job").query(Long.class).single();
  }

  private double runsCounted(String outcome) {
    var counter = meters.find("parley.jobs.runs").tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  @BeforeEach
  void clean() {
    DatabaseCleaner.clean(dataSource);
  }

  @AfterEach
  void stop() {
    stuck.forEach(handler -> handler.release.countDown());
    pollers.forEach(JobPoller::stop);
  }

  @Test
  void twoNodesPollingTogetherRunEveryDueJobExactlyOnce() {
    int count = 200;
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(scheduleDue());
    }
    JobSettings busy = settings(Duration.ofMillis(10), 4, 5);
    poller("node-a", busy, new Recording("node-a", runs));
    poller("node-b", busy, new Recording("node-b", runs));

    await().atMost(Duration.ofSeconds(60)).until(() -> jobRows() == 0);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> pollers.stream().allMatch(p -> p.running() == 0));

    assertThat(runs.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(runs.values()).allSatisfy(attempts -> assertThat(attempts).hasSize(1));
    List<String> all = runs.values().stream().flatMap(List::stream).toList();
    assertThat(all).allSatisfy(run -> assertThat(run).endsWith("#1"));
    assertThat(all).anyMatch(run -> run.startsWith("node-a"));
    assertThat(all).anyMatch(run -> run.startsWith("node-b"));
    assertThat(runsCounted("succeeded")).isEqualTo(count);
  }

  @Test
  void aJobWhoseNodeCrashedMidRunRunsOnAnotherNodeAfterItsLease() throws Exception {
    UUID id = scheduleDue();
    Stuck crashed = stuck();
    JobPoller a = poller("node-a", 5, crashed);
    JobPoller b = poller("node-b", 5, new Recording("node-b", runs));

    assertThat(a.poll()).isEqualTo(1);
    assertThat(crashed.entered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(row(id).leasedBy()).isEqualTo("node-a");

    // node-a never renews again: it crashed. Until its lease (30 s) runs out the job is its own.
    assertThat(b.poll()).isZero();
    clock.advance(Duration.ofSeconds(30));
    assertThat(b.poll()).as("a lease exactly 30 s old still holds").isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(b.poll()).isEqualTo(1);

    await().atMost(Duration.ofSeconds(10)).until(() -> row(id) == null);
    assertThat(runs.get(id)).containsExactly("node-b#2");

    // The crashed run coming back to life later finds the job gone and changes nothing.
    crashed.release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> a.running() == 0);
    assertThat(jobRows()).isZero();
    assertThat(runs.get(id)).containsExactly("node-b#2");
  }

  @Test
  void aNodeShuttingDownHandsItsInterruptedJobBackAtOnce() throws Exception {
    UUID id = scheduleDue();
    Stuck stopped = stuck();
    JobPoller a = poller("node-a", 5, stopped);
    JobPoller b = poller("node-b", 5, new Recording("node-b", runs));
    assertThat(a.poll()).isEqualTo(1);
    assertThat(stopped.entered.await(10, TimeUnit.SECONDS)).isTrue();

    // No wait (PARLEY_JOBS_SHUTDOWN_WAIT=0): the job is interrupted and handed back.
    a.stop();

    assertThat(row(id).leasedBy()).isNull();
    assertThat(row(id).attempts()).as("the interrupted attempt is not counted").isZero();
    assertThat(b.poll()).as("due at once, not after the lease").isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> row(id) == null);
    assertThat(runs.get(id)).containsExactly("node-b#1");
  }

  @Test
  void aLiveNodeRenewsItsLeaseSoALongJobIsNeverTakenFromIt() throws Exception {
    UUID id = scheduleDue();
    Stuck slow = stuck();
    JobPoller a = poller("node-a", 5, slow);
    JobPoller b = poller("node-b", 5, new Recording("node-b", runs));
    a.tick();
    assertThat(slow.entered.await(10, TimeUnit.SECONDS)).isTrue();

    for (int second = 0; second < 120; second += 11) {
      clock.advance(Duration.ofSeconds(11));
      a.tick();
      assertThat(b.poll()).as("after %d s", second + 11).isZero();
    }
    assertThat(row(id).leasedBy()).isEqualTo("node-a");

    slow.release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> row(id) == null);
    assertThat(runs).isEmpty();
    assertThat(runsCounted("succeeded")).isEqualTo(1);
  }

  @Test
  void aFailingJobIsRetriedWithGrowingBackoffThenKeptAsFailed() {
    UUID id = scheduleDue();
    AtomicInteger attempts = new AtomicInteger();
    JobHandler failing =
        new JobHandler() {
          @Override
          public String kind() {
            return "test.record";
          }

          @Override
          public void run(Job job) {
            attempts.incrementAndGet();
            throw new IllegalStateException("provider down, attempt " + job.attempt());
          }
        };
    JobPoller a = poller("node-a", 3, failing);
    Instant start = clock.instant();

    assertThat(a.poll()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> row(id).leasedBy() == null);
    assertThat(row(id).attempts()).isEqualTo(1);
    assertThat(row(id).runAt()).isEqualTo(start.plusSeconds(10));
    assertThat(row(id).lastError()).contains("provider down, attempt 1");

    clock.advance(Duration.ofSeconds(9));
    assertThat(a.poll()).as("backoff not over").isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(a.poll()).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> row(id).attempts() == 2 && row(id).leasedBy() == null);
    assertThat(row(id).runAt()).as("doubled").isEqualTo(clock.instant().plusSeconds(20));

    clock.advance(Duration.ofSeconds(20));
    assertThat(a.poll()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> "failed".equals(row(id).status()));
    assertThat(row(id).attempts()).isEqualTo(3);
    assertThat(row(id).lastError()).contains("provider down, attempt 3");

    clock.advance(Duration.ofDays(1));
    assertThat(a.poll()).as("a failed job is kept, never run again").isZero();
    assertThat(attempts).hasValue(3);
    assertThat(runsCounted("retried")).isEqualTo(2);
    assertThat(runsCounted("failed")).isEqualTo(1);
  }

  @Test
  void aCrashOnTheLastAttemptLeavesTheJobFailedWithoutRunningItAgain() throws Exception {
    UUID id = scheduleDue();
    Stuck crashed = stuck();
    JobPoller a = poller("node-a", 1, crashed);
    JobPoller b = poller("node-b", 1, new Recording("node-b", runs));
    assertThat(a.poll()).isEqualTo(1);
    assertThat(crashed.entered.await(10, TimeUnit.SECONDS)).isTrue();

    clock.advance(Duration.ofSeconds(31));
    assertThat(b.poll()).isEqualTo(1);

    await().atMost(Duration.ofSeconds(10)).until(() -> "failed".equals(row(id).status()));
    assertThat(runs).isEmpty();
    assertThat(row(id).lastError()).contains("stopped with its node");
    assertThat(runsCounted("abandoned")).isEqualTo(1);
  }

  @Test
  void aDedupeKeyMakesSchedulingIdempotentWhileTheJobExists() {
    Instant at = clock.instant();
    UUID first = jobs.schedule("test.record", "{\"call\": 1}", at, "callback:call-1");
    UUID again =
        jobs.schedule("test.record", "{\"call\": 1}", at.plusSeconds(60), "callback:call-1");
    UUID other = jobs.schedule("test.record", "{\"call\": 2}", at, "callback:call-2");

    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    assertThat(jobRows()).isEqualTo(2);
    assertThat(row(first).runAt()).as("the first scheduling wins").isEqualTo(at);

    JobPoller a = poller("node-a", 5, new Recording("node-a", runs));
    assertThat(a.poll()).isEqualTo(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> jobRows() == 0);
    assertThat(runs.get(first)).containsExactly("node-a#1");

    // Done jobs are deleted, so the key is free again.
    assertThat(jobs.schedule("test.record", "{}", at, "callback:call-1")).isNotEqualTo(first);
  }

  @Test
  void schedulingOneDedupeKeyFromManyThreadsAtOnceMakesOneJob() throws Exception {
    int threads = 8;
    CountDownLatch go = new CountDownLatch(1);
    List<java.util.concurrent.Future<UUID>> ids = new ArrayList<>();
    try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < threads; i++) {
        ids.add(
            executor.submit(
                () -> {
                  go.await();
                  return jobs.schedule("test.record", "{}", clock.instant(), "retention:daily");
                }));
      }
      go.countDown();
      List<UUID> returned = new ArrayList<>();
      for (var id : ids) {
        returned.add(id.get(20, TimeUnit.SECONDS));
      }
      assertThat(returned).hasSize(threads).containsOnly(returned.getFirst());
    }
    assertThat(jobRows()).isEqualTo(1);
  }

  @Test
  void aNodeClaimsOnlyTheKindsItHasHandlersFor() {
    UUID unknown = jobs.schedule("test.newer-kind", "{}", clock.instant());
    JobPoller a = poller("node-a", 5, new Recording("node-a", runs));

    assertThat(a.poll()).isZero();
    // The application's own poller has no handlers yet, so it claims nothing either.
    assertThat(applicationPoller.isRunning()).isTrue();
    assertThat(applicationPoller.poll()).isZero();
    assertThat(row(unknown).attempts()).isZero();
  }

  @Test
  void theRunAtOfAJobIsKept() {
    Instant later = clock.instant().plusSeconds(3600);
    UUID id = jobs.schedule("test.record", "{}", later);
    JobPoller a = poller("node-a", 5, new Recording("node-a", runs));

    assertThat(a.poll()).isZero();
    assertThat(row(id).runAt()).isEqualTo(later);
    clock.advance(Duration.ofHours(1));
    assertThat(a.poll()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> jobRows() == 0);
  }
}
