package io.parley.jobs;

import io.parley.database.ActiveDatabase;
import io.parley.database.DatabaseVendor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code job} table. Every instant comes from the caller's clock, never the database's, as for
 * node heartbeats. Writes after a claim are guarded by {@code leased_by}, so a node that lost its
 * lease (it was stalled past it and another node took the job) changes nothing.
 */
@Repository
class JobRepository {

  static final String PENDING = "pending";
  static final String FAILED = "failed";

  private static final String COLUMNS = "id, kind, payload, dedupe_key, run_at, attempts";

  private final JdbcClient jdbc;
  private final boolean postgres;

  JobRepository(JdbcClient jdbc, ActiveDatabase database) {
    this.jdbc = jdbc;
    this.postgres = database.vendor() == DatabaseVendor.POSTGRESQL;
  }

  /**
   * Inserts the job unless one with the same dedupe key exists. The conflict is absorbed by the
   * statement itself rather than caught, because a failed statement would abort the caller's
   * PostgreSQL transaction. Whether it inserted is not told by the count: MariaDB's driver counts
   * the duplicate row as found; read the key's id instead.
   */
  void insert(UUID id, String kind, String payload, Instant runAt, String dedupeKey, Instant now) {
    String values =
        "INSERT INTO job (id, kind, payload, dedupe_key, status, run_at, attempts, created_at,"
            + " updated_at) VALUES (:id, :kind, :payload, :key, '"
            + PENDING
            + "', :runAt, 0, :now, :now)";
    String sql =
        dedupeKey == null
            ? values
            : postgres
                ? values + " ON CONFLICT (dedupe_key) DO NOTHING"
                : values + " ON DUPLICATE KEY UPDATE id = id";
    jdbc.sql(sql)
        .param("id", id)
        .param("kind", kind)
        .param("payload", payload)
        .param("key", dedupeKey, Types.VARCHAR)
        .param("runAt", Timestamp.from(runAt))
        .param("now", Timestamp.from(now))
        .update();
  }

  Optional<UUID> idOf(String dedupeKey) {
    return jdbc.sql("SELECT id FROM job WHERE dedupe_key = :key")
        .param("key", dedupeKey)
        .query((rs, row) -> UUID.fromString(rs.getString(1)))
        .optional();
  }

  /**
   * Locks up to {@code limit} due jobs of the given kinds that no other transaction has locked: a
   * job is due when its time has come and no node holds a live lease on it. Call in a transaction,
   * then {@link #lease} what it returns before committing.
   */
  List<Job> lockDue(Collection<String> kinds, Instant now, int limit) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM job WHERE status = '"
                + PENDING
                + "' AND run_at <= :now AND (lease_until IS NULL OR lease_until < :now)"
                + " AND kind IN (:kinds) ORDER BY run_at LIMIT :limit FOR UPDATE SKIP LOCKED")
        .param("now", Timestamp.from(now))
        .param("kinds", kinds)
        .param("limit", limit)
        .query(JobRepository::map)
        .list();
  }

  /** Takes the locked jobs for this node until {@code until}, counting the attempt. */
  void lease(Collection<UUID> ids, String node, Instant until, Instant now) {
    jdbc.sql(
            "UPDATE job SET leased_by = :node, lease_until = :until, attempts = attempts + 1,"
                + " updated_at = :now WHERE id IN (:ids)")
        .param("node", node)
        .param("until", Timestamp.from(until))
        .param("now", Timestamp.from(now))
        .param("ids", ids)
        .update();
  }

  /** Extends this node's leases on the given jobs; the count of leases still held. */
  int renew(Collection<UUID> ids, String node, Instant until, Instant now) {
    return jdbc.sql(
            "UPDATE job SET lease_until = :until, updated_at = :now WHERE id IN (:ids)"
                + " AND leased_by = :node AND status = '"
                + PENDING
                + "'")
        .param("until", Timestamp.from(until))
        .param("now", Timestamp.from(now))
        .param("ids", ids)
        .param("node", node)
        .update();
  }

  /** A successful run: the job is gone. False when this node no longer held it. */
  boolean delete(UUID id, String node) {
    return jdbc.sql("DELETE FROM job WHERE id = :id AND leased_by = :node")
            .param("id", id)
            .param("node", node)
            .update()
        == 1;
  }

  /** A failed run with attempts left: due again at {@code runAt}, lease released. */
  boolean retry(UUID id, String node, Instant runAt, String error, Instant now) {
    return jdbc.sql(
                "UPDATE job SET run_at = :runAt, lease_until = NULL, last_error = :error,"
                    + " updated_at = :now WHERE id = :id AND leased_by = :node")
            .param("runAt", Timestamp.from(runAt))
            .param("error", error)
            .param("now", Timestamp.from(now))
            .param("id", id)
            .param("node", node)
            .update()
        == 1;
  }

  /**
   * The node stopped and interrupted the run: the job is due again at once, and the interrupted
   * attempt is not counted against it.
   */
  boolean release(UUID id, String node, Instant now) {
    return jdbc.sql(
                "UPDATE job SET lease_until = NULL, attempts = attempts - 1, updated_at = :now"
                    + " WHERE id = :id AND leased_by = :node AND lease_until IS NOT NULL")
            .param("now", Timestamp.from(now))
            .param("id", id)
            .param("node", node)
            .update()
        == 1;
  }

  /** The last attempt failed: kept for operators, never claimed again. */
  boolean fail(UUID id, String node, String error, Instant now) {
    return jdbc.sql(
                "UPDATE job SET status = '"
                    + FAILED
                    + "', lease_until = NULL, last_error = :error, updated_at = :now"
                    + " WHERE id = :id AND leased_by = :node")
            .param("error", error)
            .param("now", Timestamp.from(now))
            .param("id", id)
            .param("node", node)
            .update()
        == 1;
  }

  /** Waiting jobs whose time has come (running ones included). */
  long countDue(Instant now) {
    return jdbc.sql("SELECT COUNT(*) FROM job WHERE status = '" + PENDING + "' AND run_at <= :now")
        .param("now", Timestamp.from(now))
        .query(Long.class)
        .single();
  }

  private static Job map(ResultSet rs, int row) throws SQLException {
    return new Job(
        UUID.fromString(rs.getString("id")),
        rs.getString("kind"),
        rs.getString("payload"),
        rs.getString("dedupe_key"),
        rs.getTimestamp("run_at").toInstant(),
        // The attempt about to be made: lease() counts it in the same transaction.
        rs.getInt("attempts") + 1);
  }
}
