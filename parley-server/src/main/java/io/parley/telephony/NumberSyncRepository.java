package io.parley.telephony;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code twilio_number_sync} table: one sync result per agent. */
@Repository
class NumberSyncRepository {

  /** A stored result. */
  record Result(String phoneNumber, int agentVersion, String state, String detail) {}

  private final JdbcClient jdbc;

  NumberSyncRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Stores a result unless one for a newer agent version is stored already (syncs for quick
   * successive saves may finish in any order; the newest save's result is the one that counts).
   */
  void save(
      UUID organisationId,
      UUID agentId,
      int agentVersion,
      String phoneNumber,
      String state,
      String detail,
      Instant at) {
    for (int attempt = 0; attempt < 2; attempt++) {
      int updated =
          jdbc.sql(
                  "UPDATE twilio_number_sync SET agent_version = :version, phone_number = :number,"
                      + " state = :state, detail = :detail, attempted_at = :at"
                      + " WHERE agent_id = :agent AND agent_version <= :version")
              .param("version", agentVersion)
              .param("number", phoneNumber)
              .param("state", state)
              .param("detail", detail, java.sql.Types.VARCHAR)
              .param("at", Timestamp.from(at))
              .param("agent", agentId)
              .update();
      if (updated > 0 || exists(agentId)) {
        return;
      }
      try {
        jdbc.sql(
                "INSERT INTO twilio_number_sync (agent_id, organisation_id, agent_version,"
                    + " phone_number, state, detail, attempted_at)"
                    + " VALUES (:agent, :org, :version, :number, :state, :detail, :at)")
            .param("agent", agentId)
            .param("org", organisationId)
            .param("version", agentVersion)
            .param("number", phoneNumber)
            .param("state", state)
            .param("detail", detail, java.sql.Types.VARCHAR)
            .param("at", Timestamp.from(at))
            .update();
        return;
      } catch (DuplicateKeyException raced) {
        // another sync for this agent inserted first: try the version-guarded update again
      }
    }
  }

  Optional<Result> find(UUID organisationId, UUID agentId) {
    return jdbc.sql(
            "SELECT phone_number, agent_version, state, detail FROM twilio_number_sync"
                + " WHERE agent_id = :agent AND organisation_id = :org")
        .param("agent", agentId)
        .param("org", organisationId)
        .query(
            (rs, row) ->
                new Result(
                    rs.getString("phone_number"),
                    rs.getInt("agent_version"),
                    rs.getString("state"),
                    rs.getString("detail")))
        .optional();
  }

  void delete(UUID agentId) {
    jdbc.sql("DELETE FROM twilio_number_sync WHERE agent_id = :agent")
        .param("agent", agentId)
        .update();
  }

  private boolean exists(UUID agentId) {
    return jdbc.sql("SELECT COUNT(*) FROM twilio_number_sync WHERE agent_id = :agent")
            .param("agent", agentId)
            .query(Long.class)
            .single()
        > 0;
  }
}
