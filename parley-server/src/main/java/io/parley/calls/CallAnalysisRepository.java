package io.parley.calls;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code call_analysis} table: one row per analysed call. */
@Repository
class CallAnalysisRepository {

  private final JdbcClient jdbc;

  CallAnalysisRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Inserts the call's analysis unless it has one; returns whether this one was written. */
  boolean insert(UUID callId, UUID organisationId, CallAnalysis a) {
    if (find(callId).isPresent()) {
      return false;
    }
    jdbc.sql(
            "INSERT INTO call_analysis (call_id, organisation_id, status, summary, category,"
                + " sentiment, fields, error, provider, model, prompt_tokens, completion_tokens,"
                + " attempts, created_at) VALUES (:call, :organisation, :status, :summary,"
                + " :category, :sentiment, :fields, :error, :provider, :model, :promptTokens,"
                + " :completionTokens, :attempts, :createdAt)")
        .param("call", callId)
        .param("organisation", organisationId)
        .param("status", a.status().wire())
        .param("summary", a.summary(), Types.VARCHAR)
        .param("category", a.category(), Types.VARCHAR)
        .param("sentiment", a.sentiment(), Types.VARCHAR)
        .param("fields", a.fieldsJson(), Types.VARCHAR)
        .param("error", a.error(), Types.VARCHAR)
        .param("provider", a.provider())
        .param("model", a.model())
        .param("promptTokens", a.promptTokens())
        .param("completionTokens", a.completionTokens())
        .param("attempts", a.attempts())
        .param("createdAt", Timestamp.from(a.createdAt()))
        .update();
    return true;
  }

  Optional<CallAnalysis> find(UUID callId) {
    return jdbc.sql(
            "SELECT status, summary, category, sentiment, fields, error, provider, model,"
                + " prompt_tokens, completion_tokens, attempts, created_at"
                + " FROM call_analysis WHERE call_id = :call")
        .param("call", callId)
        .query(CallAnalysisRepository::analysis)
        .optional();
  }

  private static CallAnalysis analysis(ResultSet rs, int row) throws SQLException {
    return new CallAnalysis(
        CallAnalysis.Status.of(rs.getString("status")),
        rs.getString("summary"),
        rs.getString("category"),
        rs.getString("sentiment"),
        rs.getString("fields"),
        rs.getString("error"),
        rs.getString("provider"),
        rs.getString("model"),
        rs.getLong("prompt_tokens"),
        rs.getLong("completion_tokens"),
        rs.getInt("attempts"),
        rs.getTimestamp("created_at").toInstant());
  }
}
