package io.parley.calls;

import io.parley.shared.Actor;
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

/** The {@code call_record} table. */
@Repository
class CallRepository {

  static final String COLUMNS =
      "id, organisation_id, agent_id, agent_snapshot, agent_name, prompt_id, prompt_version, direction,"
          + " from_number, to_number, twilio_call_sid, status, answered_by, outcome,"
          + " outcome_reason, lead_variables, idempotency_key, created_at, updated_at, started_at,"
          + " answered_at, ended_at, duration_seconds, recording_sid, recording_url,"
          + " recording_duration_seconds, extracted_data, created_by_id, created_by_email, node_id,"
          + " campaign_id, safe_harbour_message, voicemail_message, voicemail_recording, abandoned,"
          + " recording_stored_at, recording_deleted_at, transcript_purged_at, extracted_data_purged_at, legal_hold,"
          + " legal_hold_reason";

  // Nullable UUIDs are bound as VARCHAR: a typed null is accepted by both drivers (PostgreSQL casts
  // it because the connection sends strings as unspecified), and a present value binds as its text.
  private final JdbcClient jdbc;

  CallRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(UUID id, NewCall call, String agentName, String nodeId, Instant now) {
    jdbc.sql(
            "INSERT INTO call_record (id, organisation_id, agent_id, agent_snapshot, agent_name,"
                + " prompt_id,"
                + " prompt_version, direction, from_number, to_number, twilio_call_sid, status,"
                + " status_rank, lead_variables, idempotency_key, created_at, updated_at,"
                + " segment_count, tool_invocation_count, turn_count, created_by_id,"
                + " created_by_email, node_id, campaign_id, lead_id, safe_harbour_message,"
                + " voicemail_message, voicemail_recording)"
                + " VALUES (:id, :org, :agentId, :snapshot, :agentName, :promptId, :promptVersion,"
                + " :direction, :from, :to, :sid, :status, :rank, :lead, :key, :now, :now, 0, 0,"
                + " 0, :createdById, :createdByEmail, :node, :campaignId, :leadId, :safeHarbour,"
                + " :voicemail, :voicemailRecording)")
        .param("id", id)
        .param("org", call.organisationId())
        .param("agentId", call.agentId(), Types.VARCHAR)
        .param("snapshot", call.agentSnapshotJson(), Types.VARCHAR)
        .param("agentName", agentName, Types.VARCHAR)
        .param("promptId", call.promptId(), Types.VARCHAR)
        .param("promptVersion", call.promptVersion(), Types.INTEGER)
        .param("direction", call.direction().wire())
        .param("from", call.fromNumber())
        .param("to", call.toNumber())
        .param("sid", call.twilioCallSid(), Types.VARCHAR)
        .param("status", call.initialStatus().wire())
        .param("rank", call.initialStatus().rank())
        .param("lead", call.leadVariablesJson(), Types.VARCHAR)
        .param("key", call.idempotencyKey(), Types.VARCHAR)
        .param("now", Timestamp.from(now))
        .param(
            "createdById",
            call.createdBy() == null ? null : call.createdBy().userId(),
            Types.VARCHAR)
        .param(
            "createdByEmail",
            call.createdBy() == null ? null : call.createdBy().email(),
            Types.VARCHAR)
        .param("node", nodeId)
        .param("campaignId", call.campaignId(), Types.VARCHAR)
        .param("leadId", call.leadId(), Types.VARCHAR)
        .param("safeHarbour", call.safeHarbourMessage(), Types.VARCHAR)
        .param("voicemail", call.voicemailMessage(), Types.VARCHAR)
        .param("voicemailRecording", call.voicemailRecording(), Types.VARCHAR)
        .update();
  }

  /** Sets the first agent audio once: a later value never replaces it. */
  void setFirstAgentAudio(UUID id, long afterStartMs, Instant now) {
    jdbc.sql(
            "UPDATE call_record SET first_agent_audio_ms = :ms, updated_at = :now"
                + " WHERE id = :id AND first_agent_audio_ms IS NULL")
        .param("ms", afterStartMs)
        .param("now", Timestamp.from(now))
        .param("id", id)
        .update();
  }

  void markAbandoned(UUID id, Instant now) {
    jdbc.sql("UPDATE call_record SET abandoned = TRUE, updated_at = :now WHERE id = :id")
        .param("now", Timestamp.from(now))
        .param("id", id)
        .update();
  }

  /** Outbound attempts to a number created at or after {@code since}. */
  int countOutboundTo(UUID organisationId, String toNumber, Instant since) {
    return jdbc.sql(
            "SELECT COUNT(*) FROM call_record WHERE organisation_id = :org AND to_number = :to"
                + " AND created_at >= :since AND direction = 'outbound'")
        .param("org", organisationId)
        .param("to", toNumber)
        .param("since", Timestamp.from(since))
        .query(Integer.class)
        .single();
  }

  /** The first outbound attempt to a number created at or after {@code since}, if any. */
  Optional<Instant> firstOutboundTo(UUID organisationId, String toNumber, Instant since) {
    return jdbc.sql(
            "SELECT MIN(created_at) FROM call_record WHERE organisation_id = :org"
                + " AND to_number = :to AND created_at >= :since AND direction = 'outbound'")
        .param("org", organisationId)
        .param("to", toNumber)
        .param("since", Timestamp.from(since))
        .query((rs, row) -> Optional.ofNullable(rs.getTimestamp(1)))
        .single()
        .map(Timestamp::toInstant);
  }

  /** Records the node that holds the call; false for an unknown call. */
  boolean claim(UUID id, String nodeId, Instant now) {
    return jdbc.sql("UPDATE call_record SET node_id = :node, updated_at = :now WHERE id = :id")
            .param("node", nodeId)
            .param("now", Timestamp.from(now))
            .param("id", id)
            .update()
        == 1;
  }

  /**
   * Makes {@code self} the holder of the call if {@code holder} still holds it and has written no
   * heartbeat since {@code aliveSince} (or has stopped, or has no row): the check of the holder and
   * the take-over are one statement, so they cannot be split by another node or by the holder
   * coming back. Reads the nodes module's {@code node} table for that reason only.
   */
  boolean takeOver(UUID id, String holder, String self, Instant aliveSince, Instant now) {
    String held = holder == null ? "node_id IS NULL" : "node_id = :holder";
    var statement =
        jdbc.sql(
                "UPDATE call_record SET node_id = :self, updated_at = :now WHERE id = :id AND "
                    + held
                    + " AND NOT EXISTS (SELECT 1 FROM node WHERE node.id = call_record.node_id"
                    + " AND node.stopped_at IS NULL AND node.heartbeat_at >= :aliveSince)")
            .param("self", self)
            .param("now", Timestamp.from(now))
            .param("id", id)
            .param("aliveSince", Timestamp.from(aliveSince));
    if (holder != null) {
      statement = statement.param("holder", holder);
    }
    return statement.update() == 1;
  }

  Optional<CallRecord> find(UUID id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM call_record WHERE id = :id")
        .param("id", id)
        .query(CallRepository::map)
        .optional();
  }

  /** Reads the call and locks its row until the transaction ends. */
  Optional<CallRecord> lock(UUID id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM call_record WHERE id = :id FOR UPDATE")
        .param("id", id)
        .query(CallRepository::map)
        .optional();
  }

  Optional<CallRecord> findBySid(String sid) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM call_record WHERE twilio_call_sid = :sid")
        .param("sid", sid)
        .query(CallRepository::map)
        .optional();
  }

  Optional<CallRecord> findByKey(UUID organisationId, String key) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM call_record WHERE organisation_id = :org AND idempotency_key = :key")
        .param("org", organisationId)
        .param("key", key)
        .query(CallRepository::map)
        .optional();
  }

  /** Sets the sid unless a different one is stored; false when it is. */
  boolean attachSid(UUID id, String sid, Instant now) {
    return jdbc.sql(
                "UPDATE call_record SET twilio_call_sid = :sid, updated_at = :now WHERE id = :id"
                    + " AND (twilio_call_sid IS NULL OR twilio_call_sid = :sid)")
            .param("sid", sid)
            .param("now", Timestamp.from(now))
            .param("id", id)
            .update()
        == 1;
  }

  void writeProgress(UUID id, CallProgress progress, Instant now) {
    jdbc.sql(
            "UPDATE call_record SET status = :status, status_rank = :rank, started_at = :started,"
                + " answered_at = :answered, ended_at = :ended, duration_seconds = :duration,"
                + " updated_at = :now WHERE id = :id")
        .param("status", progress.status().wire())
        .param("rank", progress.status().rank())
        .param("started", timestamp(progress.startedAt()), Types.TIMESTAMP)
        .param("answered", timestamp(progress.answeredAt()), Types.TIMESTAMP)
        .param("ended", timestamp(progress.endedAt()), Types.TIMESTAMP)
        .param("duration", progress.durationSeconds(), Types.INTEGER)
        .param("now", Timestamp.from(now))
        .param("id", id)
        .update();
  }

  /** Sets the outcome unless one is set; false when it was. */
  boolean setOutcome(UUID id, CallOutcome outcome, String reason, Instant now) {
    return jdbc.sql(
                "UPDATE call_record SET outcome = :outcome, outcome_reason = :reason,"
                    + " updated_at = :now WHERE id = :id AND outcome IS NULL")
            .param("outcome", outcome.wire())
            .param("reason", reason, Types.VARCHAR)
            .param("now", Timestamp.from(now))
            .param("id", id)
            .update()
        == 1;
  }

  boolean setAnsweredBy(UUID id, String answeredBy, Instant now) {
    return jdbc.sql(
                "UPDATE call_record SET answered_by = :answeredBy, updated_at = :now"
                    + " WHERE id = :id AND (answered_by IS NULL"
                    // detection that waits for the beep may say machine_start first, then the end
                    + " OR (answered_by = 'machine_start' AND :endOfGreeting))")
            .param("answeredBy", answeredBy)
            .param("endOfGreeting", answeredBy.startsWith("machine_end"))
            .param("now", Timestamp.from(now))
            .param("id", id)
            .update()
        == 1;
  }

  void setRecording(UUID id, Recording recording, Instant now) {
    jdbc.sql(
            "UPDATE call_record SET recording_sid = :sid, recording_url = :url,"
                + " recording_duration_seconds = :duration, updated_at = :now WHERE id = :id"
                // A recording deleted on purpose stays deleted, whatever callback comes late.
                + " AND recording_deleted_at IS NULL")
        .param("sid", recording.sid())
        .param("url", recording.url())
        .param("duration", recording.durationSeconds(), Types.INTEGER)
        .param("now", Timestamp.from(now))
        .param("id", id)
        .update();
  }

  /**
   * Notes that Parley's copy of recording {@code sid} was written; false when the call no longer
   * has that recording (it was deleted meanwhile), and the copy must go.
   */
  boolean setRecordingStored(UUID id, String sid, Instant now) {
    return jdbc.sql(
                "UPDATE call_record SET recording_stored_at = :now, updated_at = :now"
                    + " WHERE id = :id AND recording_sid = :sid AND recording_deleted_at IS NULL")
            .param("now", Timestamp.from(now))
            .param("id", id)
            .param("sid", sid)
            .update()
        == 1;
  }

  /** The recording is gone, both copies: its columns are cleared and the deletion noted. */
  void setRecordingDeleted(UUID id, Instant now) {
    jdbc.sql(
            "UPDATE call_record SET recording_sid = NULL, recording_url = NULL,"
                + " recording_duration_seconds = NULL, recording_stored_at = NULL,"
                + " recording_deleted_at = :now, updated_at = :now WHERE id = :id")
        .param("now", Timestamp.from(now))
        .param("id", id)
        .update();
  }

  void setLegalHold(UUID id, boolean hold, String reason, Instant now) {
    jdbc.sql(
            "UPDATE call_record SET legal_hold = :hold, legal_hold_reason = :reason,"
                + " updated_at = :now WHERE id = :id")
        .param("hold", hold)
        .param("reason", reason, Types.VARCHAR)
        .param("now", Timestamp.from(now))
        .param("id", id)
        .update();
  }

  void setExtractedData(UUID id, String json, Instant now) {
    jdbc.sql("UPDATE call_record SET extracted_data = :data, updated_at = :now WHERE id = :id")
        .param("data", json)
        .param("now", Timestamp.from(now))
        .param("id", id)
        .update();
  }

  /**
   * Increments one of the numbering columns and returns the new value with the call's organisation.
   * The update locks the call row, so a concurrent append waits and then gets the next number.
   */
  Optional<Numbered> nextNumber(UUID id, Counter counter) {
    int rows =
        jdbc.sql(
                "UPDATE call_record SET "
                    + counter.column
                    + " = "
                    + counter.column
                    + " + 1 WHERE id = :id")
            .param("id", id)
            .update();
    if (rows == 0) {
      return Optional.empty();
    }
    return Optional.of(
        jdbc.sql("SELECT " + counter.column + ", organisation_id FROM call_record WHERE id = :id")
            .param("id", id)
            .query(
                (rs, row) ->
                    new Numbered(rs.getInt(1), UUID.fromString(rs.getString("organisation_id"))))
            .single());
  }

  /** A number handed out for a call's part, and the call's organisation. */
  record Numbered(int number, UUID organisationId) {}

  List<CallRecord> unfinished(Instant createdBefore, int limit) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM call_record WHERE status_rank < :final AND created_at < :before"
                + " ORDER BY created_at, id LIMIT :limit")
        .param("final", CallStatus.COMPLETED.rank())
        .param("before", Timestamp.from(createdBefore))
        .param("limit", limit)
        .query(CallRepository::map)
        .list();
  }

  /** The per-call numbering columns. */
  enum Counter {
    SEGMENT("segment_count"),
    TOOL_INVOCATION("tool_invocation_count"),
    TURN("turn_count");

    private final String column;

    Counter(String column) {
      this.column = column;
    }
  }

  static CallRecord map(ResultSet rs, int row) throws SQLException {
    String recordingSid = rs.getString("recording_sid");
    Recording recording =
        recordingSid == null
            ? null
            : new Recording(
                recordingSid,
                rs.getString("recording_url"),
                integer(rs, "recording_duration_seconds"));
    String outcome = rs.getString("outcome");
    String createdById = rs.getString("created_by_id");
    return new CallRecord(
        UUID.fromString(rs.getString("id")),
        UUID.fromString(rs.getString("organisation_id")),
        uuid(rs, "agent_id"),
        rs.getString("agent_snapshot"),
        rs.getString("agent_name"),
        uuid(rs, "prompt_id"),
        integer(rs, "prompt_version"),
        CallDirection.parse(rs.getString("direction")).orElseThrow(),
        rs.getString("from_number"),
        rs.getString("to_number"),
        rs.getString("twilio_call_sid"),
        CallStatus.parse(rs.getString("status")).orElseThrow(),
        rs.getString("answered_by"),
        outcome == null ? null : CallOutcome.parse(outcome).orElseThrow(),
        rs.getString("outcome_reason"),
        rs.getString("lead_variables"),
        rs.getString("idempotency_key"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        instant(rs, "started_at"),
        instant(rs, "answered_at"),
        instant(rs, "ended_at"),
        integer(rs, "duration_seconds"),
        recording,
        rs.getString("extracted_data"),
        createdById == null
            ? null
            : new Actor(UUID.fromString(createdById), rs.getString("created_by_email")),
        rs.getString("node_id"),
        uuid(rs, "campaign_id"),
        rs.getString("safe_harbour_message"),
        rs.getString("voicemail_message"),
        rs.getString("voicemail_recording"),
        rs.getBoolean("abandoned"),
        new CallRecord.Retention(
            instant(rs, "recording_stored_at"),
            instant(rs, "recording_deleted_at"),
            instant(rs, "transcript_purged_at"),
            instant(rs, "extracted_data_purged_at"),
            rs.getBoolean("legal_hold"),
            rs.getString("legal_hold_reason")));
  }

  static UUID uuid(ResultSet rs, String column) throws SQLException {
    String value = rs.getString(column);
    return value == null ? null : UUID.fromString(value);
  }

  static Integer integer(ResultSet rs, String column) throws SQLException {
    int value = rs.getInt(column);
    return rs.wasNull() ? null : value;
  }

  static Long longValue(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp value = rs.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }

  static Timestamp timestamp(Instant instant) {
    return instant == null ? null : Timestamp.from(instant);
  }
}
