package io.parley.nodes;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code node} table. The same SQL on PostgreSQL and MariaDB. */
@Repository
class NodeRepository {

  private static final String COLUMNS =
      "id, run_id, host, pid, version, started_at, heartbeat_at, stopped_at";

  private final JdbcClient jdbc;

  NodeRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Writes this run's row, replacing what an earlier run of the node left. An update, then an
   * insert when there was no row: only this node writes its row, so nobody races it for the insert.
   */
  void register(NodeIdentity self, Instant now) {
    int updated =
        row(
                jdbc.sql(
                    "UPDATE node SET run_id = :run, host = :host, pid = :pid, version = :version,"
                        + " started_at = :started, heartbeat_at = :now, stopped_at = NULL"
                        + " WHERE id = :id"),
                self,
                now)
            .update();
    if (updated == 0) {
      row(
              jdbc.sql(
                  "INSERT INTO node (id, run_id, host, pid, version, started_at, heartbeat_at)"
                      + " VALUES (:id, :run, :host, :pid, :version, :started, :now)"),
              self,
              now)
          .update();
    }
  }

  private static JdbcClient.StatementSpec row(
      JdbcClient.StatementSpec statement, NodeIdentity self, Instant now) {
    return statement
        .param("id", self.id())
        .param("run", self.runId())
        .param("host", self.host())
        .param("pid", self.pid())
        .param("version", self.version(), Types.VARCHAR)
        .param("started", Timestamp.from(self.startedAt()))
        .param("now", Timestamp.from(now));
  }

  /** Moves this run's heartbeat on; false when the row is gone or another run has taken it. */
  boolean beat(NodeIdentity self, Instant now) {
    return jdbc.sql(
                "UPDATE node SET heartbeat_at = :now WHERE id = :id AND run_id = :run"
                    + " AND stopped_at IS NULL")
            .param("now", Timestamp.from(now))
            .param("id", self.id())
            .param("run", self.runId())
            .update()
        == 1;
  }

  /**
   * Marks this run stopped (a clean shutdown), so others need not wait for its heartbeat to age.
   */
  void stopped(NodeIdentity self, Instant now) {
    jdbc.sql("UPDATE node SET stopped_at = :now WHERE id = :id AND run_id = :run")
        .param("now", Timestamp.from(now))
        .param("id", self.id())
        .param("run", self.runId())
        .update();
  }

  Optional<StoredNode> find(String id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM node WHERE id = :id")
        .param("id", id, Types.VARCHAR)
        .query(NodeRepository::map)
        .optional();
  }

  List<StoredNode> all() {
    return jdbc.sql("SELECT " + COLUMNS + " FROM node ORDER BY id")
        .query(NodeRepository::map)
        .list();
  }

  /** A row as stored; whether the node is alive depends on the reader's clock. */
  record StoredNode(
      String id,
      UUID runId,
      String host,
      long pid,
      String version,
      Instant startedAt,
      Instant heartbeatAt,
      Instant stoppedAt) {}

  private static StoredNode map(ResultSet rs, int row) throws SQLException {
    return new StoredNode(
        rs.getString("id"),
        UUID.fromString(rs.getString("run_id")),
        rs.getString("host"),
        rs.getLong("pid"),
        rs.getString("version"),
        instant(rs, "started_at"),
        instant(rs, "heartbeat_at"),
        instant(rs, "stopped_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp value = rs.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }
}
