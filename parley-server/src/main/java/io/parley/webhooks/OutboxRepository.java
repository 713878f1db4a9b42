package io.parley.webhooks;

import static io.parley.webhooks.EndpointRepository.instant;

import io.parley.database.ActiveDatabase;
import io.parley.database.DatabaseVendor;
import io.parley.shared.PageRequest;
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

/**
 * The outbox: {@code webhook_subject} (sequence numbers), {@code webhook_event}, {@code
 * webhook_delivery} and the attempt log {@code webhook_attempt}.
 */
@Repository
class OutboxRepository {

  static final String PENDING = "pending";
  static final String DELIVERED = "delivered";
  static final String FAILED = "failed";
  static final String CANCELLED = "cancelled";

  /** A delivery with what its attempt needs: the endpoint and the event. */
  record Delivery(
      UUID id,
      UUID organisationId,
      String status,
      int attempts,
      UUID endpointId,
      String url,
      boolean endpointEnabled,
      String sealedSecret,
      UUID eventId,
      String eventType,
      String body,
      Instant eventCreatedAt) {}

  private final JdbcClient jdbc;
  private final boolean postgres;

  OutboxRepository(JdbcClient jdbc, ActiveDatabase database) {
    this.jdbc = jdbc;
    this.postgres = database.vendor() == DatabaseVendor.POSTGRESQL;
  }

  /** The event recorded under this key, if any. */
  Optional<UUID> eventWithKey(String dedupeKey) {
    return jdbc.sql("SELECT id FROM webhook_event WHERE dedupe_key = :key")
        .param("key", dedupeKey)
        .query((rs, row) -> UUID.fromString(rs.getString(1)))
        .optional();
  }

  /**
   * The subject's next sequence number (1 for its first event). The counter row stays locked until
   * the caller's transaction ends, so two transactions number one subject's events in turn.
   */
  long nextSequence(UUID subjectId) {
    if (postgres) {
      return jdbc.sql(
              "INSERT INTO webhook_subject (subject_id, last_sequence) VALUES (:id, 1) ON CONFLICT"
                  + " (subject_id) DO UPDATE SET last_sequence = webhook_subject.last_sequence + 1"
                  + " RETURNING last_sequence")
          .param("id", subjectId)
          .query(Long.class)
          .single();
    }
    jdbc.sql(
            "INSERT INTO webhook_subject (subject_id, last_sequence) VALUES (:id, 1) ON DUPLICATE"
                + " KEY UPDATE last_sequence = last_sequence + 1")
        .param("id", subjectId)
        .update();
    return jdbc.sql("SELECT last_sequence FROM webhook_subject WHERE subject_id = :id")
        .param("id", subjectId)
        .query(Long.class)
        .single();
  }

  /**
   * Inserts the event unless one with its dedupe key exists (absorbed by the statement, never
   * thrown: a failed statement would abort the caller's PostgreSQL transaction). True when written.
   */
  boolean insertEvent(
      UUID id,
      UUID organisationId,
      String type,
      UUID subjectId,
      long sequence,
      String dedupeKey,
      String body,
      Instant now) {
    String values =
        "INSERT INTO webhook_event (id, organisation_id, type, subject_id, sequence, dedupe_key,"
            + " body, created_at) VALUES (:id, :org, :type, :subject, :sequence, :key, :body,"
            + " :now)";
    String sql =
        dedupeKey == null
            ? values
            : postgres
                ? values + " ON CONFLICT (dedupe_key) DO NOTHING"
                : values + " ON DUPLICATE KEY UPDATE id = id";
    jdbc.sql(sql)
        .param("id", id)
        .param("org", organisationId)
        .param("type", type)
        .param("subject", subjectId)
        .param("sequence", sequence)
        .param("key", dedupeKey, Types.VARCHAR)
        .param("body", body)
        .param("now", Timestamp.from(now))
        .update();
    return dedupeKey == null || eventWithKey(dedupeKey).map(id::equals).orElse(false);
  }

  void insertDelivery(UUID id, UUID organisationId, UUID endpointId, UUID eventId, Instant now) {
    jdbc.sql(
            "INSERT INTO webhook_delivery (id, organisation_id, endpoint_id, event_id, status,"
                + " attempts, next_attempt_at, created_at, updated_at) VALUES (:id, :org,"
                + " :endpoint, :event, '"
                + PENDING
                + "', 0, :now, :now, :now)")
        .param("id", id)
        .param("org", organisationId)
        .param("endpoint", endpointId)
        .param("event", eventId)
        .param("now", Timestamp.from(now))
        .update();
  }

  Optional<Delivery> delivery(UUID id) {
    return select(id, "");
  }

  /** The delivery, its row locked until the transaction ends. */
  Optional<Delivery> lockDelivery(UUID id) {
    return select(id, " FOR UPDATE");
  }

  private Optional<Delivery> select(UUID id, String lock) {
    return jdbc.sql(
            "SELECT d.id, d.organisation_id, d.status, d.attempts, e.id AS endpoint_id, e.url,"
                + " e.enabled, e.secret_sealed, v.id AS event_id, v.type, v.body, v.created_at"
                + " FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id JOIN"
                + " webhook_event v ON v.id = d.event_id WHERE d.id = :id"
                + lock)
        .param("id", id)
        .query(
            (rs, row) ->
                new Delivery(
                    UUID.fromString(rs.getString("id")),
                    UUID.fromString(rs.getString("organisation_id")),
                    rs.getString("status"),
                    rs.getInt("attempts"),
                    UUID.fromString(rs.getString("endpoint_id")),
                    rs.getString("url"),
                    rs.getBoolean("enabled"),
                    rs.getString("secret_sealed"),
                    UUID.fromString(rs.getString("event_id")),
                    rs.getString("type"),
                    rs.getString("body"),
                    rs.getTimestamp("created_at").toInstant()))
        .optional();
  }

  void insertAttempt(Delivery delivery, int attempt, Instant at, AttemptResult result) {
    jdbc.sql(
            "INSERT INTO webhook_attempt (id, organisation_id, delivery_id, endpoint_id, event_id,"
                + " attempt, attempted_at, duration_ms, status_code, error) VALUES (:id, :org,"
                + " :delivery, :endpoint, :event, :attempt, :at, :duration, :code, :error)")
        .param("id", UUID.randomUUID())
        .param("org", delivery.organisationId())
        .param("delivery", delivery.id())
        .param("endpoint", delivery.endpointId())
        .param("event", delivery.eventId())
        .param("attempt", attempt)
        .param("at", Timestamp.from(at))
        .param("duration", (int) Math.min(Integer.MAX_VALUE, result.durationMs()))
        .param("code", result.statusCode(), Types.INTEGER)
        .param("error", result.error(), Types.VARCHAR)
        .update();
  }

  /** When the delivery's first attempt was made. */
  Optional<Instant> firstAttemptAt(UUID deliveryId) {
    return jdbc.sql(
            "SELECT attempted_at FROM webhook_attempt WHERE delivery_id = :id AND attempt = 1")
        .param("id", deliveryId)
        .query((rs, row) -> rs.getTimestamp(1).toInstant())
        .optional();
  }

  void settle(
      UUID deliveryId,
      String status,
      int attempts,
      Instant nextAttemptAt,
      AttemptResult result,
      Instant now) {
    jdbc.sql(
            "UPDATE webhook_delivery SET status = :status, attempts = :attempts, next_attempt_at ="
                + " :next, last_status_code = :code, last_error = :error, delivered_at = CASE WHEN"
                + " :status = '"
                + DELIVERED
                + "' THEN :now ELSE delivered_at END, updated_at = :now WHERE id = :id")
        .param("status", status)
        .param("attempts", attempts)
        .param(
            "next", nextAttemptAt == null ? null : Timestamp.from(nextAttemptAt), Types.TIMESTAMP)
        .param("code", result == null ? null : result.statusCode(), Types.INTEGER)
        .param("error", result == null ? null : result.error(), Types.VARCHAR)
        .param("now", Timestamp.from(now))
        .param("id", deliveryId)
        .update();
  }

  void cancel(UUID deliveryId, String reason, Instant now) {
    jdbc.sql(
            "UPDATE webhook_delivery SET status = '"
                + CANCELLED
                + "', next_attempt_at = NULL, last_error = :reason, updated_at = :now WHERE id ="
                + " :id AND status = '"
                + PENDING
                + "'")
        .param("reason", reason)
        .param("now", Timestamp.from(now))
        .param("id", deliveryId)
        .update();
  }

  /** A success ends the endpoint's failure streak. */
  void endpointSucceeded(UUID endpointId) {
    jdbc.sql(
            "UPDATE webhook_endpoint SET failing_since = NULL WHERE id = :id AND failing_since IS"
                + " NOT NULL")
        .param("id", endpointId)
        .update();
  }

  /** Starts the endpoint's failure streak unless one runs; when it started. */
  Instant endpointFailed(UUID endpointId, Instant now) {
    jdbc.sql(
            "UPDATE webhook_endpoint SET failing_since = :now WHERE id = :id AND failing_since IS"
                + " NULL")
        .param("now", Timestamp.from(now))
        .param("id", endpointId)
        .update();
    return jdbc.sql("SELECT failing_since FROM webhook_endpoint WHERE id = :id")
        .param("id", endpointId)
        .query((rs, row) -> rs.getTimestamp(1).toInstant())
        .single();
  }

  /** Disables an enabled endpoint; false when it was not enabled. */
  boolean disable(UUID endpointId, String reason, Instant now) {
    return jdbc.sql(
                "UPDATE webhook_endpoint SET enabled = FALSE, disabled_at = :now, disabled_reason"
                    + " = :reason, updated_at = :now WHERE id = :id AND enabled = TRUE")
            .param("now", Timestamp.from(now))
            .param("reason", reason)
            .param("id", endpointId)
            .update()
        == 1;
  }

  /** The endpoint's attempt log, newest first. */
  List<DeliveryAttempt> attempts(UUID endpointId, PageRequest page) {
    return jdbc.sql(
            "SELECT a.delivery_id, a.event_id, v.type, v.sequence, a.attempt, a.attempted_at,"
                + " a.duration_ms, a.status_code, a.error, d.status FROM webhook_attempt a JOIN"
                + " webhook_delivery d ON d.id = a.delivery_id JOIN webhook_event v ON v.id ="
                + " a.event_id WHERE a.endpoint_id = :endpoint ORDER BY a.attempted_at DESC,"
                + " a.attempt DESC LIMIT :limit OFFSET :offset")
        .param("endpoint", endpointId)
        .param("limit", page.size())
        .param("offset", page.offset())
        .query(OutboxRepository::attempt)
        .list();
  }

  long countAttempts(UUID endpointId) {
    return jdbc.sql("SELECT COUNT(*) FROM webhook_attempt WHERE endpoint_id = :endpoint")
        .param("endpoint", endpointId)
        .query(Long.class)
        .single();
  }

  private static DeliveryAttempt attempt(ResultSet rs, int row) throws SQLException {
    int code = rs.getInt("status_code");
    Integer statusCode = rs.wasNull() ? null : code;
    return new DeliveryAttempt(
        UUID.fromString(rs.getString("delivery_id")),
        UUID.fromString(rs.getString("event_id")),
        rs.getString("type"),
        rs.getLong("sequence"),
        rs.getInt("attempt"),
        instant(rs, "attempted_at"),
        rs.getInt("duration_ms"),
        statusCode,
        rs.getString("error"),
        rs.getString("status"));
  }
}
