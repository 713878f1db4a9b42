package io.parley.sms;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The calls side of a conversation, read straight from the {@code call_record} table: a read model
 * of the columns this view shows (the calls module writes them; its history API has no "either
 * party" query to reuse, and a module dependency for one read is more coupling than these columns).
 * The indexes on the organisation and either number (V12, V17) serve it.
 */
@Repository
class ConversationCalls {

  private final JdbcClient jdbc;

  ConversationCalls(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  List<ConversationItem> withNumber(UUID organisationId, String number, int limit, boolean newest) {
    String order = newest ? " ORDER BY created_at DESC, id DESC" : " ORDER BY created_at, id";
    return jdbc.sql(
            "SELECT id, created_at, direction, from_number, to_number, agent_id, status, outcome,"
                + " duration_seconds FROM call_record WHERE organisation_id = :org"
                + " AND (from_number = :number OR to_number = :number)"
                + order
                + " LIMIT :limit")
        .param("org", organisationId)
        .param("number", number)
        .param("limit", limit)
        .query(ConversationCalls::item)
        .list();
  }

  long count(UUID organisationId, String number) {
    return jdbc.sql(
            "SELECT COUNT(*) FROM call_record WHERE organisation_id = :org"
                + " AND (from_number = :number OR to_number = :number)")
        .param("org", organisationId)
        .param("number", number)
        .query(Long.class)
        .single();
  }

  private static ConversationItem item(ResultSet rs, int row) throws SQLException {
    String agent = rs.getString("agent_id");
    int duration = rs.getInt("duration_seconds");
    boolean noDuration = rs.wasNull();
    return new ConversationItem(
        "call",
        UUID.fromString(rs.getString("id")),
        rs.getTimestamp("created_at").toInstant(),
        rs.getString("direction"),
        rs.getString("from_number"),
        rs.getString("to_number"),
        agent == null ? null : UUID.fromString(agent),
        rs.getString("status"),
        null,
        null,
        rs.getString("outcome"),
        noDuration ? null : duration);
  }
}
