package io.parley.nodes;

import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Node identity and liveness ({@code PARLEY_NODE_*}).
 *
 * @param id {@code PARLEY_NODE_ID}: this node's id, 1–64 letters, digits, {@code .}, {@code _} or
 *     {@code -}. Unset: one is generated on the first start and kept in {@code
 *     PARLEY_DATA_DIR/node-id}, so a restarted node is the same node.
 * @param heartbeatInterval {@code PARLEY_NODE_HEARTBEAT_INTERVAL}: how often the node rewrites its
 *     heartbeat; default 5 s
 * @param deadAfter {@code PARLEY_NODE_DEAD_AFTER}: a node whose last heartbeat is older than this
 *     is dead; default 15 s. At least twice the interval, so one late write does not kill a node.
 */
@ConfigurationProperties("parley.node")
public record NodeSettings(String id, Duration heartbeatInterval, Duration deadAfter) {

  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_DEAD_AFTER = Duration.ofSeconds(15);

  static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public NodeSettings {
    if (id != null && id.isBlank()) {
      id = null;
    }
    if (id != null && !ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "PARLEY_NODE_ID must be 1-64 letters, digits, '.', '_' or '-', was '" + id + "'");
    }
    heartbeatInterval = heartbeatInterval == null ? DEFAULT_HEARTBEAT_INTERVAL : heartbeatInterval;
    deadAfter = deadAfter == null ? DEFAULT_DEAD_AFTER : deadAfter;
    if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
      throw new IllegalArgumentException(
          "PARLEY_NODE_HEARTBEAT_INTERVAL must be longer than zero, was " + heartbeatInterval);
    }
    if (deadAfter.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException(
          "PARLEY_NODE_DEAD_AFTER must be at least twice PARLEY_NODE_HEARTBEAT_INTERVAL ("
              + heartbeatInterval
              + "), was "
              + deadAfter);
    }
  }
}
