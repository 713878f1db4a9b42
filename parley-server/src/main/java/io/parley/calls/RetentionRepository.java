package io.parley.calls;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The retention queries: which calls have data past its age, and the purges themselves. Every query
 * skips calls on legal hold, and each kind is read oldest first in batches.
 */
@Repository
class RetentionRepository {

  private final JdbcClient jdbc;

  RetentionRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** A call to purge something of. */
  record Aged(UUID id, UUID organisationId, boolean hasRecording) {}

  List<Aged> withRecording(Instant before, int limit) {
    return aged("(recording_sid IS NOT NULL OR recording_stored_at IS NOT NULL)", before, limit);
  }

  List<Aged> withTranscript(Instant before, int limit) {
    return aged("transcript_purged_at IS NULL AND segment_count > 0", before, limit);
  }

  List<Aged> withExtractedData(Instant before, int limit) {
    return aged(
        "extracted_data_purged_at IS NULL AND (extracted_data IS NOT NULL"
            + " OR lead_variables IS NOT NULL OR tool_invocation_count > 0)",
        before,
        limit);
  }

  List<Aged> withAnalysis(Instant before, int limit) {
    return aged(
        "EXISTS (SELECT 1 FROM call_analysis a WHERE a.call_id = call_record.id)", before, limit);
  }

  /** Deletes the calls' post-call analyses; returns how many went. */
  int purgeAnalyses(List<UUID> calls) {
    return jdbc.sql("DELETE FROM call_analysis WHERE call_id IN (:calls)")
        .param("calls", calls)
        .update();
  }

  List<Aged> callRecords(Instant before, int limit) {
    return aged("1 = 1", before, limit);
  }

  private List<Aged> aged(String condition, Instant before, int limit) {
    return jdbc.sql(
            "SELECT id, organisation_id, recording_sid, recording_stored_at FROM call_record"
                + " WHERE created_at < :before AND legal_hold = FALSE AND "
                + condition
                // Locked until the batch's transaction ends: a legal hold set meanwhile waits for
                // the purge, and a call is never half purged.
                + " ORDER BY created_at, id LIMIT :limit FOR UPDATE")
        .param("before", Timestamp.from(before))
        .param("limit", limit)
        .query(
            (rs, row) ->
                new Aged(
                    UUID.fromString(rs.getString("id")),
                    UUID.fromString(rs.getString("organisation_id")),
                    rs.getString("recording_sid") != null
                        || rs.getTimestamp("recording_stored_at") != null))
        .list();
  }

  /** Deletes the calls' transcript segments; returns how many went. */
  int purgeTranscripts(List<UUID> calls, Instant now) {
    int segments =
        jdbc.sql("DELETE FROM transcript_segment WHERE call_id IN (:calls)")
            .param("calls", calls)
            .update();
    jdbc.sql(
            "UPDATE call_record SET transcript_purged_at = :now, updated_at = :now"
                + " WHERE id IN (:calls) AND legal_hold = FALSE")
        .param("now", Timestamp.from(now))
        .param("calls", calls)
        .update();
    return segments;
  }

  /** Clears what the calls gathered: extracted data, lead variables, tool arguments and results. */
  void purgeExtractedData(List<UUID> calls, Instant now) {
    jdbc.sql(
            "UPDATE call_tool_invocation SET arguments = '{}', result = NULL"
                + " WHERE call_id IN (:calls)")
        .param("calls", calls)
        .update();
    jdbc.sql(
            "UPDATE call_record SET extracted_data = NULL, lead_variables = NULL,"
                + " extracted_data_purged_at = :now, updated_at = :now"
                + " WHERE id IN (:calls) AND legal_hold = FALSE")
        .param("now", Timestamp.from(now))
        .param("calls", calls)
        .update();
  }

  /** Deletes the calls' rows and everything under them; returns how many calls went. */
  int deleteCalls(List<UUID> calls) {
    for (String child :
        List.of("transcript_segment", "call_tool_invocation", "call_turn", "call_analysis")) {
      jdbc.sql("DELETE FROM " + child + " WHERE call_id IN (:calls)")
          .param("calls", calls)
          .update();
    }
    return jdbc.sql("DELETE FROM call_record WHERE id IN (:calls) AND legal_hold = FALSE")
        .param("calls", calls)
        .update();
  }
}
