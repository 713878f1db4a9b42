package io.parley.agents;

import io.parley.shared.Actor;
import io.parley.shared.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code agent} table. Reads never return soft-deleted rows. */
@Repository
class AgentRepository {

  private static final String COLUMNS =
      "id, organisation_id, name, prompt_id, prompt_version, twilio_number, config, version,"
          + " created_at, updated_at, created_by_id, created_by_email, updated_by_id,"
          + " updated_by_email";

  private final JdbcClient jdbc;
  private final AgentJson json;

  AgentRepository(JdbcClient jdbc, AgentJson json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  void insert(StoredAgent agent) {
    AgentConfig config = agent.config();
    jdbc.sql(
            "INSERT INTO agent (id, organisation_id, name, prompt_id, prompt_version,"
                + " twilio_number, config, version, created_at, updated_at, created_by_id,"
                + " created_by_email, updated_by_id, updated_by_email)"
                + " VALUES (:id, :org, :name, :promptId, :promptVersion, :number, :config,"
                + " :version, :createdAt, :updatedAt, :createdById, :createdByEmail,"
                + " :updatedById, :updatedByEmail)")
        .param("id", agent.id())
        .param("org", agent.organisationId())
        .param("name", config.name())
        .param("promptId", config.promptId())
        .param("promptVersion", config.promptVersion().number(), java.sql.Types.INTEGER)
        .param("number", config.twilioNumber(), java.sql.Types.VARCHAR)
        .param("config", json.document(config))
        .param("version", agent.version())
        .param("createdAt", Timestamp.from(agent.createdAt()))
        .param("updatedAt", Timestamp.from(agent.updatedAt()))
        .param("createdById", agent.createdBy().userId())
        .param("createdByEmail", agent.createdBy().email(), java.sql.Types.VARCHAR)
        .param("updatedById", agent.updatedBy().userId())
        .param("updatedByEmail", agent.updatedBy().email(), java.sql.Types.VARCHAR)
        .update();
  }

  /** Writes a new configuration if the row is still at {@code expectedVersion}; false if not. */
  boolean update(StoredAgent agent, int expectedVersion) {
    AgentConfig config = agent.config();
    int rows =
        jdbc.sql(
                "UPDATE agent SET name = :name, prompt_id = :promptId,"
                    + " prompt_version = :promptVersion, twilio_number = :number,"
                    + " config = :config, version = :version, updated_at = :updatedAt,"
                    + " updated_by_id = :updatedById, updated_by_email = :updatedByEmail"
                    + " WHERE id = :id AND organisation_id = :org AND version = :expected"
                    + " AND deleted_at IS NULL")
            .param("name", config.name())
            .param("promptId", config.promptId())
            .param("promptVersion", config.promptVersion().number(), java.sql.Types.INTEGER)
            .param("number", config.twilioNumber(), java.sql.Types.VARCHAR)
            .param("config", json.document(config))
            .param("version", agent.version())
            .param("updatedAt", Timestamp.from(agent.updatedAt()))
            .param("updatedById", agent.updatedBy().userId())
            .param("updatedByEmail", agent.updatedBy().email(), java.sql.Types.VARCHAR)
            .param("id", agent.id())
            .param("org", agent.organisationId())
            .param("expected", expectedVersion)
            .update();
    return rows == 1;
  }

  /** Marks the agent deleted and frees its number; false when there was nothing to delete. */
  boolean softDelete(UUID organisationId, UUID id, Actor actor, Instant now) {
    return jdbc.sql(
                "UPDATE agent SET deleted_at = :now, updated_at = :now, twilio_number = NULL,"
                    + " version = version + 1, updated_by_id = :actorId,"
                    + " updated_by_email = :actorEmail"
                    + " WHERE id = :id AND organisation_id = :org AND deleted_at IS NULL")
            .param("now", Timestamp.from(now))
            .param("actorId", actor.userId())
            .param("actorEmail", actor.email(), java.sql.Types.VARCHAR)
            .param("id", id)
            .param("org", organisationId)
            .update()
        == 1;
  }

  Optional<StoredAgent> find(UUID organisationId, UUID id) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM agent WHERE id = :id AND organisation_id = :org AND deleted_at IS NULL")
        .param("id", id)
        .param("org", organisationId)
        .query(this::map)
        .optional();
  }

  Optional<StoredAgent> findByNumber(String e164) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM agent WHERE twilio_number = :number AND deleted_at IS NULL")
        .param("number", e164)
        .query(this::map)
        .optional();
  }

  /** The id of another live agent that answers this number, if any. */
  Optional<UUID> numberOwner(String e164, UUID exceptId) {
    return jdbc.sql(
            "SELECT id FROM agent WHERE twilio_number = :number AND deleted_at IS NULL"
                + " AND id <> :except")
        .param("number", e164)
        .param("except", exceptId)
        .query((rs, row) -> UUID.fromString(rs.getString("id")))
        .optional();
  }

  List<StoredAgent> page(UUID organisationId, PageRequest request) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM agent WHERE organisation_id = :org AND deleted_at IS NULL"
                + " ORDER BY created_at, id LIMIT :limit OFFSET :offset")
        .param("org", organisationId)
        .param("limit", request.size())
        .param("offset", request.offset())
        .query(this::map)
        .list();
  }

  long count(UUID organisationId) {
    return jdbc.sql(
            "SELECT COUNT(*) FROM agent WHERE organisation_id = :org AND deleted_at IS NULL")
        .param("org", organisationId)
        .query(Long.class)
        .single();
  }

  private StoredAgent map(ResultSet rs, int row) throws SQLException {
    int pinned = rs.getInt("prompt_version");
    Integer promptVersion = rs.wasNull() ? null : pinned;
    AgentConfig config =
        json.fromStored(
            rs.getString("config"),
            rs.getString("name"),
            UUID.fromString(rs.getString("prompt_id")),
            promptVersion,
            rs.getString("twilio_number"));
    return new StoredAgent(
        UUID.fromString(rs.getString("id")),
        UUID.fromString(rs.getString("organisation_id")),
        config,
        rs.getInt("version"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant(),
        actor(rs, "created_by_id", "created_by_email"),
        actor(rs, "updated_by_id", "updated_by_email"));
  }

  private static Actor actor(ResultSet rs, String idColumn, String emailColumn)
      throws SQLException {
    String id = rs.getString(idColumn);
    return id == null ? null : new Actor(UUID.fromString(id), rs.getString(emailColumn));
  }
}
