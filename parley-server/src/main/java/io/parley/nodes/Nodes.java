package io.parley.nodes;

import java.util.List;
import java.util.Optional;

/** This node and the others that share its database. */
public interface Nodes {

  /** This process. */
  NodeIdentity self();

  /** Every node that ever wrote a heartbeat, by id. */
  List<Node> all();

  Optional<Node> find(String id);

  /**
   * Whether the node's last heartbeat is younger than {@code PARLEY_NODE_DEAD_AFTER} and it has not
   * stopped; false for an id never seen.
   */
  boolean alive(String id);
}
