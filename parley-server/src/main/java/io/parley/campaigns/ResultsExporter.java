package io.parley.campaigns;

import io.parley.shared.CsvWriter;
import java.io.Writer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A campaign's results as CSV: one row per attempt (every call placed for a lead), oldest first,
 * with the lead it called, the outcome, the duration, the answering-machine verdict and the data
 * the agent extracted. Streamed from the database to the response, through the shared formula-safe
 * {@link CsvWriter}; the controller audits the export before the first byte.
 */
@Service
class ResultsExporter {

  static final List<String> HEADER =
      List.of(
          "phone",
          "first_name",
          "last_name",
          "lead_id",
          "lead_status",
          "call_id",
          "dialled_at",
          "answered_at",
          "ended_at",
          "duration_seconds",
          "status",
          "outcome",
          "outcome_reason",
          "answered_by",
          "extracted_data");

  private final NamedParameterJdbcTemplate streaming;

  ResultsExporter(DataSource dataSource) {
    JdbcTemplate fetching = new JdbcTemplate(dataSource);
    fetching.setFetchSize(500);
    this.streaming = new NamedParameterJdbcTemplate(fetching);
  }

  /** Writes the header and every attempt of the campaign; returns how many attempts. */
  @Transactional(readOnly = true)
  long write(UUID campaignId, Writer out) {
    CsvWriter csv = new CsvWriter(out);
    csv.row(HEADER);
    AtomicLong count = new AtomicLong();
    streaming.query(
        "SELECT l.phone_number, l.first_name, l.last_name, l.id AS lead_id, l.status AS"
            + " lead_status, c.id AS call_id, c.created_at, c.answered_at, c.ended_at,"
            + " c.duration_seconds, c.status, c.outcome, c.outcome_reason, c.answered_by,"
            + " c.extracted_data FROM call_record c JOIN campaign_lead l ON l.id = c.lead_id"
            + " WHERE c.campaign_id = :campaign ORDER BY c.created_at, c.id",
        Map.of("campaign", campaignId),
        (RowCallbackHandler)
            rs -> {
              csv.row(
                  rs.getString("phone_number"),
                  rs.getString("first_name"),
                  rs.getString("last_name"),
                  rs.getString("lead_id"),
                  rs.getString("lead_status"),
                  rs.getString("call_id"),
                  text(rs, "created_at"),
                  text(rs, "answered_at"),
                  text(rs, "ended_at"),
                  rs.getString("duration_seconds"),
                  rs.getString("status"),
                  rs.getString("outcome"),
                  rs.getString("outcome_reason"),
                  rs.getString("answered_by"),
                  rs.getString("extracted_data"));
              count.incrementAndGet();
            });
    csv.flush();
    return count.get();
  }

  private static String text(ResultSet rs, String column) throws SQLException {
    Timestamp at = rs.getTimestamp(column);
    return at == null ? null : at.toInstant().toString();
  }
}
