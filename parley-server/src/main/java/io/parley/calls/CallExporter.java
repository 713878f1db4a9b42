package io.parley.calls;

import io.parley.shared.Actor;
import io.parley.shared.AuditEvent;
import io.parley.shared.CsvWriter;
import java.io.Writer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The call history as CSV: every call the query selects (all pages), in its order, one row each,
 * streamed from the database to the response through the shared formula-safe {@link CsvWriter}, so
 * an export of any length is never held whole. Phone numbers and transcripts are personal data: the
 * controller has {@link #audit} commit a record of who exported what before the first byte.
 */
@Service
class CallExporter {

  static final List<String> HEADER =
      List.of(
          "call_id",
          "created_at",
          "direction",
          "from",
          "to",
          "agent_id",
          "agent_name",
          "prompt_name",
          "prompt_version",
          "campaign_id",
          "twilio_call_sid",
          "status",
          "answered_by",
          "outcome",
          "outcome_reason",
          "started_at",
          "answered_at",
          "ended_at",
          "duration_seconds",
          "has_recording",
          "analysis_status",
          "analysis_summary",
          "analysis_category",
          "analysis_sentiment",
          "analysis_fields",
          "analysis_error",
          "analysis_prompt_tokens",
          "analysis_completion_tokens");

  /**
   * The history list's columns with the post-call analysis beside them (docs/analysis.md): its
   * columns go before the list's FROM, its table joins after the list's joins.
   */
  private static final String EXPORT_SELECT = withAnalysis(CallHistory.SUMMARY_SELECT);

  private static String withAnalysis(String summarySelect) {
    String from = " FROM call_record c ";
    if (!summarySelect.contains(from)) {
      throw new IllegalStateException("The history list's query no longer reads" + from);
    }
    return summarySelect.replace(
            from,
            ", a.status AS analysis_status, a.summary AS analysis_summary,"
                + " a.category AS analysis_category, a.sentiment AS analysis_sentiment,"
                + " a.fields AS analysis_fields, a.error AS analysis_error,"
                + " a.prompt_tokens AS analysis_prompt_tokens,"
                + " a.completion_tokens AS analysis_completion_tokens"
                + from)
        + " LEFT JOIN call_analysis a ON a.call_id = c.id";
  }

  private final NamedParameterJdbcTemplate streaming;
  private final CallSearch search;
  private final ApplicationEventPublisher events;

  CallExporter(DataSource dataSource, CallSearch search, ApplicationEventPublisher events) {
    JdbcTemplate fetching = new JdbcTemplate(dataSource);
    // Rows arrive in batches rather than the whole result at once.
    fetching.setFetchSize(500);
    this.streaming = new NamedParameterJdbcTemplate(fetching);
    this.search = search;
    this.events = events;
  }

  /** Records that {@code actor} is exporting with these filters; commits before the export. */
  @Transactional
  void audit(CallQuery query, Actor actor) {
    CallFilter f = query.filter();
    Map<String, Object> details = new LinkedHashMap<>();
    put(details, "agentId", f.agentId());
    put(details, "direction", f.direction() == null ? null : f.direction().wire());
    put(details, "status", f.status() == null ? null : f.status().wire());
    put(details, "outcome", f.outcome() == null ? null : f.outcome().wire());
    put(details, "answeredBy", f.answeredBy());
    put(details, "campaignId", f.campaignId());
    put(details, "fromNumber", f.fromNumber());
    put(details, "toNumber", f.toNumber());
    put(details, "from", f.from());
    put(details, "to", f.to());
    put(details, "hasRecording", f.hasRecording());
    put(details, "q", f.text());
    events.publishEvent(
        new AuditEvent(actor.userId(), actor.email(), "calls.exported", "call", null, details));
  }

  /** Writes the header and every selected call; returns how many calls. */
  @Transactional(readOnly = true)
  long write(UUID organisationId, CallQuery query, Writer out) {
    CallSearch.Where where = search.where(organisationId, query.filter());
    CsvWriter csv = new CsvWriter(out);
    csv.row(HEADER);
    AtomicLong count = new AtomicLong();
    streaming.query(
        EXPORT_SELECT + where.sql() + query.sort().orderBy(),
        where.params(),
        (RowCallbackHandler)
            rs -> {
              csv.row(
                  rs.getString("id"),
                  text(rs, "created_at"),
                  rs.getString("direction"),
                  rs.getString("from_number"),
                  rs.getString("to_number"),
                  rs.getString("agent_id"),
                  rs.getString("agent_name"),
                  rs.getString("prompt_name"),
                  rs.getString("prompt_version"),
                  rs.getString("campaign_id"),
                  rs.getString("twilio_call_sid"),
                  rs.getString("status"),
                  rs.getString("answered_by"),
                  rs.getString("outcome"),
                  rs.getString("outcome_reason"),
                  text(rs, "started_at"),
                  text(rs, "answered_at"),
                  text(rs, "ended_at"),
                  rs.getString("duration_seconds"),
                  rs.getString("recording_sid") == null ? "false" : "true",
                  rs.getString("analysis_status"),
                  rs.getString("analysis_summary"),
                  rs.getString("analysis_category"),
                  rs.getString("analysis_sentiment"),
                  rs.getString("analysis_fields"),
                  rs.getString("analysis_error"),
                  rs.getString("analysis_prompt_tokens"),
                  rs.getString("analysis_completion_tokens"));
              count.incrementAndGet();
            });
    csv.flush();
    return count.get();
  }

  private static void put(Map<String, Object> details, String name, Object value) {
    if (value != null) {
      details.put(name, value instanceof Boolean ? value : value.toString());
    }
  }

  private static String text(ResultSet rs, String column) throws SQLException {
    Timestamp at = rs.getTimestamp(column);
    return at == null ? null : at.toInstant().toString();
  }
}
