package io.parley.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.parley.support.DatabaseCleaner;
import io.parley.support.DbTest;
import io.parley.support.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Heartbeats and liveness on the real database, with a clock the test moves: a node is alive while
 * its heartbeat is at most {@code PARLEY_NODE_DEAD_AFTER} old and it has not stopped.
 */
@DbTest
class NodeHeartbeatTest {

  @Autowired JdbcClient jdbc;
  @Autowired DataSource dataSource;
  @Autowired Nodes applicationNodes;
  @Autowired MockMvc mvc;

  private final ManualClock clock = new ManualClock("2026-11-25T10:00:00Z");
  private final NodeSettings settings =
      new NodeSettings(null, Duration.ofSeconds(5), Duration.ofSeconds(15));
  private NodeRepository repository;
  private NodeRegistry nodes;
  private NodeHeartbeat heartbeat;

  private NodeIdentity run(String id) {
    return new NodeIdentity(id, UUID.randomUUID(), clock.instant(), "host-1", 42, "1.2.3");
  }

  @BeforeEach
  void setUp() {
    DatabaseCleaner.clean(dataSource);
    repository = new NodeRepository(jdbc);
    nodes = new NodeRegistry(repository, run("reader"), settings, clock);
  }

  @AfterEach
  void stop() {
    if (heartbeat != null) {
      heartbeat.stop();
    }
  }

  @Test
  void aNodeIsAliveUntilItsHeartbeatIsOlderThanTheLimit() {
    NodeIdentity a = run("node-a");
    heartbeat = new NodeHeartbeat(repository, a, settings, clock);
    heartbeat.start();

    assertThat(nodes.alive("node-a")).isTrue();
    clock.advance(Duration.ofSeconds(15));
    assertThat(nodes.alive("node-a")).as("exactly the limit old").isTrue();
    clock.advance(Duration.ofMillis(1));
    assertThat(nodes.alive("node-a")).isFalse();

    heartbeat.beat();
    assertThat(nodes.alive("node-a")).isTrue();
    Node row = nodes.find("node-a").orElseThrow();
    assertThat(row.heartbeatAt()).isEqualTo(clock.instant());
    assertThat(row.startedAt()).isEqualTo(a.startedAt());
    assertThat(row.runId()).isEqualTo(a.runId());
    assertThat(row.host()).isEqualTo("host-1");
    assertThat(row.pid()).isEqualTo(42);
    assertThat(row.version()).isEqualTo("1.2.3");
  }

  @Test
  void aNodeNeverSeenIsNotAlive() {
    assertThat(nodes.alive("nobody")).isFalse();
    assertThat(nodes.find("nobody")).isEmpty();
  }

  @Test
  void aCleanStopIsDeadAtOnce() {
    heartbeat = new NodeHeartbeat(repository, run("node-a"), settings, clock);
    heartbeat.start();

    heartbeat.stop();

    Node stopped = nodes.find("node-a").orElseThrow();
    assertThat(stopped.alive()).isFalse();
    assertThat(stopped.stoppedAt()).isEqualTo(clock.instant());
  }

  @Test
  void aRestartedNodeReplacesItsPreviousRunAndLivesAgain() {
    NodeIdentity first = run("node-a");
    // The first run crashed: it registered and never beat again.
    repository.register(first, clock.instant());
    clock.advance(Duration.ofMinutes(1));
    assertThat(nodes.alive("node-a")).isFalse();

    NodeIdentity second = run("node-a");
    heartbeat = new NodeHeartbeat(repository, second, settings, clock);
    heartbeat.start();

    Node row = nodes.find("node-a").orElseThrow();
    assertThat(row.runId()).isEqualTo(second.runId()).isNotEqualTo(first.runId());
    assertThat(row.alive()).isTrue();
    assertThat(nodes.all()).extracting(Node::id).containsExactly("node-a");
  }

  @Test
  void aRemovedRowIsWrittenAgainByTheNextHeartbeat() {
    NodeIdentity a = run("node-a");
    heartbeat = new NodeHeartbeat(repository, a, settings, clock);
    heartbeat.start();
    jdbc.sql("DELETE FROM node").update();

    clock.advance(Duration.ofSeconds(5));
    heartbeat.beat();

    assertThat(nodes.find("node-a").orElseThrow().runId()).isEqualTo(a.runId());
    assertThat(nodes.alive("node-a")).isTrue();
  }

  @Test
  void aSecondProcessWithTheSameIdDoesNotSilentlyStealTheRow() {
    NodeIdentity a = run("node-a");
    heartbeat = new NodeHeartbeat(repository, a, settings, clock);
    heartbeat.start();
    NodeIdentity twin = run("node-a");
    repository.register(twin, clock.instant());

    heartbeat.beat();

    // Each run keeps writing its own run id (and logs the clash), so the row never goes stale.
    assertThat(nodes.find("node-a").orElseThrow().runId()).isEqualTo(a.runId());
  }

  @Test
  void theScheduledHeartbeatKeepsTheRowFresh() {
    NodeSettings fast = new NodeSettings(null, Duration.ofMillis(50), Duration.ofMillis(200));
    NodeIdentity a = run("node-a");
    heartbeat = new NodeHeartbeat(repository, a, fast, clock);
    heartbeat.start();
    Instant registered = clock.instant();

    clock.advance(Duration.ofSeconds(1));

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> nodes.find("node-a").orElseThrow().heartbeatAt().isAfter(registered));
    assertThat(heartbeat.isRunning()).isTrue();
  }

  @Test
  void theApplicationsOwnNodeBeatsAndShowsOnActuatorInfo() throws Exception {
    NodeIdentity self = applicationNodes.self();
    assertThat(self.id()).matches("[A-Za-z0-9._-]{1,64}");

    // The cleaner removed its row; the next heartbeat (every 5 s) writes it back.
    await().atMost(Duration.ofSeconds(10)).until(() -> applicationNodes.alive(self.id()));
    assertThat(applicationNodes.find(self.id()).orElseThrow().runId()).isEqualTo(self.runId());

    mvc.perform(get("/actuator/info"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.node.id").value(self.id()))
        .andExpect(jsonPath("$.node.startedAt").value(self.startedAt().toString()));
  }
}
