package io.parley.nodes;

import io.parley.nodes.NodeRepository.StoredNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Registers this run in the {@code node} table at start-up, rewrites its heartbeat every {@code
 * PARLEY_NODE_HEARTBEAT_INTERVAL}, and marks it stopped on a clean shutdown. It starts before the
 * media port and the webhooks and stops after them, so every call this node takes is held by a node
 * the others can see alive.
 */
@Component
class NodeHeartbeat implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(NodeHeartbeat.class);

  /** How long a clean stop waits to mark the node stopped. */
  private static final Duration STOP_WRITE_LIMIT = Duration.ofSeconds(2);

  private final NodeRepository repository;
  private final NodeIdentity self;
  private final NodeSettings settings;
  private final Clock clock;
  private volatile ScheduledExecutorService scheduler;

  // Only touched by the scheduler's one thread.
  private boolean failing;
  private UUID intruderReported;

  NodeHeartbeat(NodeRepository repository, NodeIdentity self, NodeSettings settings, Clock clock) {
    this.repository = repository;
    this.self = self;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public void start() {
    repository.register(self, clock.instant());
    log.info(
        "Node {} (run {}, host {}, pid {}, version {}): heartbeat every {} s, dead after {} s",
        self.id(),
        self.runId(),
        self.host(),
        self.pid(),
        self.version() == null ? "unknown" : self.version(),
        settings.heartbeatInterval().toMillis() / 1000.0,
        settings.deadAfter().toMillis() / 1000.0);
    ScheduledExecutorService started =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("node-heartbeat").daemon().factory());
    long interval = settings.heartbeatInterval().toMillis();
    started.scheduleWithFixedDelay(this::tick, interval, interval, TimeUnit.MILLISECONDS);
    scheduler = started;
  }

  private void tick() {
    try {
      beat();
      if (failing) {
        failing = false;
        log.info("Node {}: heartbeat written again", self.id());
      }
    } catch (RuntimeException e) {
      // Logged once per outage: other nodes will see this one dead if it lasts.
      if (!failing) {
        failing = true;
        log.warn(
            "Node {}: could not write the heartbeat ({}); other nodes count this one dead after {}"
                + " s without it",
            self.id(),
            e.toString(),
            settings.deadAfter().toSeconds());
      }
    }
  }

  /** One heartbeat, now. */
  void beat() {
    Instant now = clock.instant();
    if (repository.beat(self, now)) {
      return;
    }
    // The row was removed (an operator pruned it) or another process registered the same id.
    Optional<StoredNode> row = repository.find(self.id());
    if (row.isPresent()
        && !row.get().runId().equals(self.runId())
        && !row.get().runId().equals(intruderReported)) {
      intruderReported = row.get().runId();
      log.error(
          "Node id {} is also used by another process (host {}, pid {}, started {}): give every"
              + " node its own PARLEY_NODE_ID (or data directory). Taking the id back.",
          self.id(),
          row.get().host(),
          row.get().pid(),
          row.get().startedAt());
    }
    repository.register(self, now);
  }

  @Override
  public void stop() {
    ScheduledExecutorService running = scheduler;
    scheduler = null;
    if (running == null) {
      return;
    }
    running.shutdownNow();
    try {
      running.awaitTermination(5, TimeUnit.SECONDS);
      markStopped();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Best effort and bounded: when the whole process exits, the database may be shutting down at the
   * same moment (the embedded PostgreSQL has its own shutdown hook), and waiting for a pool
   * connection would hold the exit for the pool's 30 s timeout. Unmarked, the node is counted dead
   * once its heartbeat is older than the limit, as after a crash.
   */
  private void markStopped() throws InterruptedException {
    Thread writer =
        Thread.ofVirtual()
            .name("node-stopped")
            .start(
                () -> {
                  try {
                    repository.stopped(self, clock.instant());
                    log.info("Node {} stopped", self.id());
                  } catch (RuntimeException e) {
                    log.warn(
                        "Node {}: could not mark the node stopped ({})", self.id(), e.toString());
                  }
                });
    if (!writer.join(STOP_WRITE_LIMIT)) {
      log.info(
          "Node {}: stopping without marking the node stopped (the database did not answer within"
              + " {} ms); the other nodes count it dead after the heartbeat limit",
          self.id(),
          STOP_WRITE_LIMIT.toMillis());
    }
  }

  @Override
  public boolean isRunning() {
    return scheduler != null;
  }

  /** Before the media port ({@code DEFAULT_PHASE - 2048}) and the web server; stopped after. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 4096;
  }
}
