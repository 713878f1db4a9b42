package io.parley.nodes;

import io.parley.nodes.NodeRepository.StoredNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Reads the {@code node} table. Liveness is judged with this node's clock against the heartbeat
 * another node wrote with its own, so the nodes' clocks must agree to well within {@code
 * PARLEY_NODE_DEAD_AFTER} (NTP keeps them within milliseconds).
 */
@Component
class NodeRegistry implements Nodes {

  private final NodeRepository repository;
  private final NodeIdentity self;
  private final NodeSettings settings;
  private final Clock clock;

  NodeRegistry(NodeRepository repository, NodeIdentity self, NodeSettings settings, Clock clock) {
    this.repository = repository;
    this.self = self;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public NodeIdentity self() {
    return self;
  }

  @Override
  public List<Node> all() {
    Instant now = clock.instant();
    return repository.all().stream().map(row -> node(row, now)).toList();
  }

  @Override
  public Optional<Node> find(String id) {
    return repository.find(id).map(row -> node(row, clock.instant()));
  }

  @Override
  public boolean alive(String id) {
    return find(id).map(Node::alive).orElse(false);
  }

  private Node node(StoredNode row, Instant now) {
    // A heartbeat exactly deadAfter old still counts: dead means older than the limit.
    boolean alive =
        row.stoppedAt() == null && !row.heartbeatAt().plus(settings.deadAfter()).isBefore(now);
    return new Node(
        row.id(),
        row.runId(),
        row.host(),
        row.pid(),
        row.version(),
        row.startedAt(),
        row.heartbeatAt(),
        row.stoppedAt(),
        alive);
  }
}
