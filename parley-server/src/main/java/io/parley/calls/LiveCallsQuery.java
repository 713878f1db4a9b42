package io.parley.calls;

import io.parley.shared.Organisations;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The calls not yet in a final carrier status (queued, initiated, ringing, in progress), read from
 * {@code call_record} so every node's calls are listed, through the index on {@code (status_rank,
 * created_at)}. Capped: a wallboard of more calls than this shows the oldest.
 */
@Repository
class LiveCallsQuery implements LiveCallsSource {

  static final int LIMIT = 1000;

  private final JdbcClient jdbc;

  LiveCallsQuery(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public List<LiveCall> inProgress() {
    return jdbc.sql(
            "SELECT id, twilio_call_sid, direction, agent_id, agent_name, from_number, to_number,"
                + " status, node_id, created_at, started_at, answered_at FROM call_record"
                + " WHERE status_rank < :final AND organisation_id = :org"
                + " ORDER BY created_at, id LIMIT :limit")
        .param("final", CallStatus.COMPLETED.rank())
        .param("org", Organisations.DEFAULT_ID)
        .param("limit", LIMIT)
        .query(LiveCallsQuery::map)
        .list();
  }

  private static LiveCall map(ResultSet rs, int row) throws SQLException {
    String agent = rs.getString("agent_id");
    return new LiveCall(
        UUID.fromString(rs.getString("id")),
        rs.getString("twilio_call_sid"),
        CallDirection.parse(rs.getString("direction")).orElse(null),
        agent == null ? null : UUID.fromString(agent),
        rs.getString("agent_name"),
        rs.getString("from_number"),
        rs.getString("to_number"),
        CallStatus.parse(rs.getString("status")).orElse(null),
        rs.getString("node_id"),
        instant(rs.getTimestamp("created_at")),
        instant(rs.getTimestamp("started_at")),
        instant(rs.getTimestamp("answered_at")));
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
