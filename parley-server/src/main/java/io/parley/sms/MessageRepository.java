package io.parley.sms;

import io.parley.shared.Actor;
import io.parley.shared.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The {@code sms_message} table. */
@Repository
class MessageRepository {

  private static final String COLUMNS =
      "id, agent_id, direction, from_number, to_number, body, twilio_sid, status, error_code,"
          + " error_message, keyword, reply_to, num_segments, num_media, created_at, updated_at,"
          + " created_by_id, created_by_email, idempotency_key";

  private final JdbcClient jdbc;

  MessageRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Inserts a message inside a savepoint, so that losing a race on the MessageSid (Twilio retried
   * an inbound webhook while the first was still being handled) leaves the caller's transaction
   * usable.
   *
   * @throws DuplicateKeyException when a message with this MessageSid exists
   */
  @Transactional(propagation = Propagation.NESTED)
  void insert(UUID organisationId, TextMessage m) {
    jdbc.sql(
            "INSERT INTO sms_message (id, organisation_id, agent_id, direction, from_number,"
                + " to_number, body, twilio_sid, status, status_rank, error_code, error_message,"
                + " keyword, reply_to, num_segments, num_media, created_at, updated_at,"
                + " created_by_id, created_by_email, idempotency_key) VALUES (:id, :org, :agent,"
                + " :direction, :from, :to, :body, :sid, :status, :rank, :errorCode, :errorMessage,"
                + " :keyword, :replyTo, :segments, :media, :createdAt, :updatedAt, :createdById,"
                + " :createdByEmail, :key)")
        .param("id", m.id())
        .param("org", organisationId)
        .param("agent", m.agentId())
        .param("direction", m.direction().wire())
        .param("from", m.from())
        .param("to", m.to())
        .param("body", m.body())
        .param("sid", m.twilioSid(), Types.VARCHAR)
        .param("status", m.status().wire())
        .param("rank", m.status().rank)
        .param("errorCode", m.errorCode(), Types.INTEGER)
        .param("errorMessage", m.errorMessage(), Types.VARCHAR)
        .param("keyword", m.keyword() == null ? null : m.keyword().wire(), Types.VARCHAR)
        .param("replyTo", m.replyTo())
        .param("segments", m.numSegments(), Types.INTEGER)
        .param("media", m.numMedia())
        .param("createdAt", Timestamp.from(m.createdAt()))
        .param("updatedAt", Timestamp.from(m.updatedAt()))
        .param("createdById", m.createdBy() == null ? null : m.createdBy().userId())
        .param(
            "createdByEmail", m.createdBy() == null ? null : m.createdBy().email(), Types.VARCHAR)
        .param("key", m.idempotencyKey(), Types.VARCHAR)
        .update();
  }

  Optional<TextMessage> find(UUID organisationId, UUID id) {
    return jdbc.sql(
            "SELECT " + COLUMNS + " FROM sms_message WHERE organisation_id = :org AND id = :id")
        .param("org", organisationId)
        .param("id", id)
        .query(MessageRepository::message)
        .optional();
  }

  /**
   * The message sent with this Idempotency-Key. {@code locking} reads the latest committed row:
   * after losing an insert race, MariaDB's repeatable-read snapshot would not show the winner.
   */
  Optional<TextMessage> findByIdempotencyKey(UUID organisationId, String key, boolean locking) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM sms_message WHERE organisation_id = :org AND idempotency_key = :key"
                + (locking ? " FOR UPDATE" : ""))
        .param("org", organisationId)
        .param("key", key)
        .query(MessageRepository::message)
        .optional();
  }

  /** The message with this id, or else with this MessageSid; locked for the status update. */
  Optional<Located> locate(UUID id, String sid) {
    if (id != null) {
      Optional<Located> byId =
          jdbc.sql(
                  "SELECT organisation_id, "
                      + COLUMNS
                      + " FROM sms_message WHERE id = :id FOR UPDATE")
              .param("id", id)
              .query(MessageRepository::located)
              .optional();
      if (byId.isPresent()) {
        return byId;
      }
    }
    return jdbc.sql(
            "SELECT organisation_id, "
                + COLUMNS
                + " FROM sms_message WHERE twilio_sid = :sid FOR UPDATE")
        .param("sid", sid)
        .query(MessageRepository::located)
        .optional();
  }

  /** A message with the organisation it belongs to. */
  record Located(UUID organisationId, TextMessage message) {}

  Optional<Located> findBySid(String sid) {
    return jdbc.sql(
            "SELECT organisation_id, " + COLUMNS + " FROM sms_message WHERE twilio_sid = :sid")
        .param("sid", sid)
        .query(MessageRepository::located)
        .optional();
  }

  /** The reply stored for an inbound text, if one was. */
  Optional<TextMessage> replyTo(UUID inboundId) {
    return jdbc
        .sql("SELECT " + COLUMNS + " FROM sms_message WHERE reply_to = :id ORDER BY created_at")
        .param("id", inboundId)
        .query(MessageRepository::message)
        .stream()
        .findFirst();
  }

  /**
   * Moves a message to {@code status} when it ranks above the stored one; a SID not yet stored is
   * filled in. Returns false when nothing changed (a duplicated or late callback).
   */
  boolean advance(
      UUID id,
      String sid,
      MessageStatus status,
      Integer errorCode,
      String errorMessage,
      Integer numSegments,
      Instant at) {
    return jdbc.sql(
                "UPDATE sms_message SET status = :status, status_rank = :rank,"
                    + " error_code = COALESCE(:errorCode, error_code),"
                    + " error_message = COALESCE(:errorMessage, error_message),"
                    + " twilio_sid = COALESCE(twilio_sid, :sid),"
                    + " num_segments = COALESCE(:segments, num_segments), updated_at = :at"
                    + " WHERE id = :id AND status_rank < :rank")
            .param("status", status.wire())
            .param("rank", status.rank)
            .param("errorCode", errorCode, Types.INTEGER)
            .param("errorMessage", errorMessage, Types.VARCHAR)
            .param("sid", sid, Types.VARCHAR)
            .param("segments", numSegments, Types.INTEGER)
            .param("at", Timestamp.from(at))
            .param("id", id)
            .update()
        == 1;
  }

  /** Notes a problem on a message without moving its status. */
  void note(UUID id, String errorMessage, Instant at) {
    jdbc.sql("UPDATE sms_message SET error_message = :message, updated_at = :at WHERE id = :id")
        .param("message", errorMessage, Types.VARCHAR)
        .param("at", Timestamp.from(at))
        .param("id", id)
        .update();
  }

  List<TextMessage> page(UUID organisationId, MessageFilter filter, PageRequest request) {
    Map<String, Object> params = new LinkedHashMap<>();
    String where = where(organisationId, filter, params);
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM sms_message WHERE "
                + where
                + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
        .params(params)
        .param("limit", request.size())
        .param("offset", request.offset())
        .query(MessageRepository::message)
        .list();
  }

  long count(UUID organisationId, MessageFilter filter) {
    Map<String, Object> params = new LinkedHashMap<>();
    String where = where(organisationId, filter, params);
    return jdbc.sql("SELECT COUNT(*) FROM sms_message WHERE " + where)
        .params(params)
        .query(Long.class)
        .single();
  }

  /**
   * The first {@code limit} messages with {@code number} as either party, oldest first (or newest
   * first): one side of the conversation view.
   */
  List<TextMessage> withNumber(UUID organisationId, String number, int limit, boolean newestFirst) {
    String order = newestFirst ? " ORDER BY created_at DESC, id DESC" : " ORDER BY created_at, id";
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM sms_message WHERE organisation_id = :org"
                + " AND (from_number = :number OR to_number = :number)"
                + order
                + " LIMIT :limit")
        .param("org", organisationId)
        .param("number", number)
        .param("limit", limit)
        .query(MessageRepository::message)
        .list();
  }

  long countWithNumber(UUID organisationId, String number) {
    return jdbc.sql(
            "SELECT COUNT(*) FROM sms_message WHERE organisation_id = :org"
                + " AND (from_number = :number OR to_number = :number)")
        .param("org", organisationId)
        .param("number", number)
        .query(Long.class)
        .single();
  }

  private static String where(UUID organisationId, MessageFilter f, Map<String, Object> params) {
    List<String> conditions = new ArrayList<>();
    conditions.add("organisation_id = :org");
    params.put("org", organisationId);
    if (f.number() != null) {
      conditions.add("(from_number = :number OR to_number = :number)");
      params.put("number", f.number());
    }
    if (f.direction() != null) {
      conditions.add("direction = :direction");
      params.put("direction", f.direction().wire());
    }
    if (f.status() != null) {
      conditions.add("status = :status");
      params.put("status", f.status().wire());
    }
    if (f.agentId() != null) {
      conditions.add("agent_id = :agent");
      params.put("agent", f.agentId());
    }
    if (f.from() != null) {
      conditions.add("created_at >= :since");
      params.put("since", Timestamp.from(f.from()));
    }
    if (f.to() != null) {
      conditions.add("created_at < :until");
      params.put("until", Timestamp.from(f.to()));
    }
    return String.join(" AND ", conditions);
  }

  private static Located located(ResultSet rs, int row) throws SQLException {
    return new Located(UUID.fromString(rs.getString("organisation_id")), message(rs, row));
  }

  static TextMessage message(ResultSet rs, int row) throws SQLException {
    String createdById = rs.getString("created_by_id");
    int errorCode = rs.getInt("error_code");
    boolean noError = rs.wasNull();
    int segments = rs.getInt("num_segments");
    boolean noSegments = rs.wasNull();
    return new TextMessage(
        UUID.fromString(rs.getString("id")),
        uuid(rs.getString("agent_id")),
        MessageDirection.parse(rs.getString("direction")).orElseThrow(),
        rs.getString("from_number"),
        rs.getString("to_number"),
        rs.getString("body"),
        rs.getString("twilio_sid"),
        MessageStatus.parse(rs.getString("status")).orElseThrow(),
        noError ? null : errorCode,
        rs.getString("error_message"),
        Keyword.parse(rs.getString("keyword")).orElse(null),
        uuid(rs.getString("reply_to")),
        noSegments ? null : segments,
        rs.getInt("num_media"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant(),
        createdById == null
            ? null
            : new Actor(UUID.fromString(createdById), rs.getString("created_by_email")),
        rs.getString("idempotency_key"));
  }

  private static UUID uuid(String text) {
    return text == null ? null : UUID.fromString(text);
  }
}
