package io.parley.playground;

import io.parley.database.ExpiringRows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Playground sessions in the database. Every change that must not race is one guarded {@code
 * UPDATE}: a message is accepted only while no reply is streaming, and of two requests asking to
 * stream the same reply (on any nodes) exactly one wins the lease.
 */
@Repository
class PlaygroundRepository implements ExpiringRows {

  private static final TypeReference<List<TranscriptEntry>> ENTRIES = new TypeReference<>() {};
  private static final TypeReference<LinkedHashMap<String, String>> VARIABLES =
      new TypeReference<>() {};

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final Clock clock;

  PlaygroundRepository(JdbcClient jdbc, JsonMapper json, Clock clock) {
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
  }

  void insert(PlaygroundSession session) {
    jdbc.sql(
            "INSERT INTO playground_session (id, organisation_id, owner_id, agent_id, agent_config,"
                + " prompt_id, prompt_version, provider, model, temperature, variables,"
                + " system_prompt, transcript, entry_count, created_at, last_used_at) VALUES (:id,"
                + " :org, :owner, :agent, :config, :prompt, :version, :provider, :model, :temp,"
                + " :variables, :system, :transcript, :count, :now, :now)")
        .param("id", session.id())
        .param("org", session.organisationId())
        .param("owner", session.ownerId())
        .param("agent", session.agentId(), Types.VARCHAR)
        .param("config", session.agentConfigJson(), Types.VARCHAR)
        .param("prompt", session.promptId())
        .param("version", session.promptVersion())
        .param("provider", session.provider())
        .param("model", session.model())
        .param("temp", session.temperature(), Types.DOUBLE)
        .param("variables", json.writeValueAsString(session.variables()))
        .param("system", session.systemPrompt())
        .param("transcript", transcript(session.transcript()))
        .param("count", session.transcript().size())
        .param("now", Timestamp.from(session.createdAt()))
        .update();
  }

  Optional<PlaygroundSession> find(UUID id) {
    return jdbc.sql("SELECT * FROM playground_session WHERE id = :id")
        .param("id", id)
        .query(this::read)
        .optional();
  }

  /** The owner's sessions used since {@code since}, most recent first. */
  List<PlaygroundSession> listByOwner(UUID ownerId, Instant since) {
    return jdbc.sql(
            "SELECT * FROM playground_session WHERE owner_id = :owner AND last_used_at >= :since"
                + " ORDER BY last_used_at DESC")
        .param("owner", ownerId)
        .param("since", Timestamp.from(since))
        .query(this::read)
        .list();
  }

  int countByOwner(UUID ownerId, Instant since) {
    return jdbc.sql(
            "SELECT COUNT(*) FROM playground_session WHERE owner_id = :owner"
                + " AND last_used_at >= :since")
        .param("owner", ownerId)
        .param("since", Timestamp.from(since))
        .query(Integer.class)
        .single();
  }

  /**
   * Sets the message waiting for a reply (replacing one nobody is answering), unless a reply is
   * streaming or the call has ended. Returns whether it was set.
   */
  boolean setPending(UUID id, String text, Instant now) {
    return jdbc.sql(
                "UPDATE playground_session SET pending_text = :text, last_used_at = :now"
                    + " WHERE id = :id AND ended IS NULL"
                    + " AND (answering_until IS NULL OR answering_until < :now)")
            .param("text", text)
            .param("now", Timestamp.from(now))
            .param("id", id)
            .update()
        == 1;
  }

  /** Takes the lease to answer the waiting message until {@code until}; false when none waits. */
  boolean claim(UUID id, Instant now, Instant until) {
    return jdbc.sql(
                "UPDATE playground_session SET answering_until = :until, last_used_at = :now"
                    + " WHERE id = :id AND pending_text IS NOT NULL"
                    + " AND (answering_until IS NULL OR answering_until < :now)")
            .param("until", Timestamp.from(until))
            .param("now", Timestamp.from(now))
            .param("id", id)
            .update()
        == 1;
  }

  /** Stores a finished reply: the whole transcript, and releases the lease. */
  void finish(
      UUID id, List<TranscriptEntry> transcript, String systemPrompt, Ending ended, Instant now) {
    jdbc.sql(
            "UPDATE playground_session SET transcript = :transcript, entry_count = :count,"
                + " system_prompt = :system, ended = :ended, pending_text = NULL,"
                + " answering_until = NULL, last_used_at = :now WHERE id = :id")
        .param("transcript", transcript(transcript))
        .param("count", transcript.size())
        .param("system", systemPrompt)
        .param("ended", ended == null ? null : json.writeValueAsString(ended), Types.VARCHAR)
        .param("now", Timestamp.from(now))
        .param("id", id)
        .update();
  }

  /** Gives up the lease of a reply that could not be stored; its message waits again. */
  void release(UUID id) {
    jdbc.sql("UPDATE playground_session SET answering_until = NULL WHERE id = :id")
        .param("id", id)
        .update();
  }

  boolean delete(UUID id) {
    return jdbc.sql("DELETE FROM playground_session WHERE id = :id").param("id", id).update() == 1;
  }

  @Override
  public String what() {
    return "idle playground sessions";
  }

  @Override
  public int purgeExpired() {
    Instant now = clock.instant();
    return jdbc.sql(
            "DELETE FROM playground_session WHERE last_used_at < :cutoff"
                + " AND (answering_until IS NULL OR answering_until < :now)")
        .param("cutoff", Timestamp.from(now.minus(PlaygroundService.IDLE_EXPIRY)))
        .param("now", Timestamp.from(now))
        .update();
  }

  /** Written as the list type, so that each entry carries its {@code type}. */
  private String transcript(List<TranscriptEntry> entries) {
    return json.writerFor(ENTRIES).writeValueAsString(entries);
  }

  private PlaygroundSession read(ResultSet rs, int row) throws SQLException {
    String ended = rs.getString("ended");
    Timestamp answering = rs.getTimestamp("answering_until");
    double temperatureValue = rs.getDouble("temperature");
    Double temperature = rs.wasNull() ? null : temperatureValue;
    return new PlaygroundSession(
        uuid(rs, "id"),
        uuid(rs, "organisation_id"),
        uuid(rs, "owner_id"),
        uuid(rs, "agent_id"),
        rs.getString("agent_config"),
        uuid(rs, "prompt_id"),
        rs.getInt("prompt_version"),
        rs.getString("provider"),
        rs.getString("model"),
        temperature,
        Map.copyOf(json.readValue(rs.getString("variables"), VARIABLES)),
        rs.getString("system_prompt"),
        List.copyOf(json.readValue(rs.getString("transcript"), ENTRIES)),
        rs.getString("pending_text"),
        answering == null ? null : answering.toInstant(),
        ended == null ? null : json.readValue(ended, Ending.class),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("last_used_at").toInstant());
  }

  private static UUID uuid(ResultSet rs, String column) throws SQLException {
    String text = rs.getString(column);
    return text == null ? null : UUID.fromString(text);
  }
}
