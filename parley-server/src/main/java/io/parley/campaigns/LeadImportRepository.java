package io.parley.campaigns;

import io.parley.campaigns.LeadImportReport.ReportLine;
import io.parley.shared.Actor;
import io.parley.shared.Page;
import io.parley.shared.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code lead_import} and {@code lead_import_row} tables. */
@Repository
class LeadImportRepository {

  private static final String COLUMNS =
      "id, campaign_id, file_name, rows_read, accepted, duplicates, invalid, held,"
          + " in_other_campaigns, created_at, created_by_email";
  private static final int MAX_PHONE_TEXT = 64;
  private static final int MAX_REASON = 500;

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;

  LeadImportRepository(JdbcClient jdbc, JdbcTemplate batch) {
    this.jdbc = jdbc;
    this.batch = batch;
  }

  void insert(LeadImportReport report, Actor by) {
    jdbc.sql(
            "INSERT INTO lead_import (id, campaign_id, file_name, rows_read, accepted, duplicates,"
                + " invalid, held, in_other_campaigns, created_at, created_by_id,"
                + " created_by_email) VALUES (:id, :campaign, :file, :rows, :accepted, :duplicates,"
                + " :invalid, :held, :other, :at, :byId, :byEmail)")
        .param("id", report.id())
        .param("campaign", report.campaignId())
        .param("file", report.fileName(), Types.VARCHAR)
        .param("rows", report.rows())
        .param("accepted", report.accepted())
        .param("duplicates", report.duplicates())
        .param("invalid", report.invalid())
        .param("held", report.held())
        .param("other", report.inOtherCampaigns())
        .param("at", Timestamp.from(report.createdAt()))
        .param("byId", by.userId())
        .param("byEmail", by.email(), Types.VARCHAR)
        .update();
  }

  /** Writes the counts of a finished import. */
  void updateCounts(LeadImportReport report) {
    jdbc.sql(
            "UPDATE lead_import SET rows_read = :rows, accepted = :accepted, duplicates ="
                + " :duplicates, invalid = :invalid, held = :held, in_other_campaigns = :other"
                + " WHERE id = :id")
        .param("rows", report.rows())
        .param("accepted", report.accepted())
        .param("duplicates", report.duplicates())
        .param("invalid", report.invalid())
        .param("held", report.held())
        .param("other", report.inOtherCampaigns())
        .param("id", report.id())
        .update();
  }

  /** Writes report lines of an import (in one batch). */
  void insertLines(UUID importId, List<ReportLine> lines) {
    if (lines.isEmpty()) {
      return;
    }
    batch.batchUpdate(
        "INSERT INTO lead_import_row (import_id, line, outcome, phone_text, reason)"
            + " VALUES (?, ?, ?, ?, ?)",
        lines,
        lines.size(),
        (statement, line) -> {
          statement.setString(1, importId.toString());
          statement.setInt(2, line.line());
          statement.setString(3, line.outcome());
          statement.setString(4, cut(line.phone(), MAX_PHONE_TEXT));
          statement.setString(5, cut(line.reason(), MAX_REASON));
        });
  }

  Optional<LeadImportReport> find(UUID campaignId, UUID importId) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM lead_import"
                + " WHERE campaign_id = :campaign AND id = :id")
        .param("campaign", campaignId)
        .param("id", importId)
        .query(LeadImportRepository::map)
        .optional();
  }

  /** One page of a campaign's imports, newest first, without their lines. */
  Page<LeadImportReport> list(UUID campaignId, PageRequest page) {
    List<LeadImportReport> items =
        jdbc.sql(
                "SELECT "
                    + COLUMNS
                    + " FROM lead_import"
                    + " WHERE campaign_id = :campaign ORDER BY created_at DESC, id DESC"
                    + " LIMIT :limit OFFSET :offset")
            .param("campaign", campaignId)
            .param("limit", page.size())
            .param("offset", page.offset())
            .query(LeadImportRepository::map)
            .list();
    long total =
        jdbc.sql("SELECT COUNT(*) FROM lead_import WHERE campaign_id = :campaign")
            .param("campaign", campaignId)
            .query(Long.class)
            .single();
    return new Page<>(items, page.page(), page.size(), total);
  }

  /** One page of an import's report lines, in file order, optionally of one outcome. */
  Page<ReportLine> lines(UUID importId, String outcome, PageRequest page) {
    String filter = outcome == null ? "" : " AND outcome = :outcome";
    JdbcClient.StatementSpec rows =
        jdbc.sql(
                "SELECT line, outcome, phone_text, reason FROM lead_import_row"
                    + " WHERE import_id = :id"
                    + filter
                    + " ORDER BY line, outcome LIMIT :limit OFFSET :offset")
            .param("id", importId)
            .param("limit", page.size())
            .param("offset", page.offset());
    JdbcClient.StatementSpec count =
        jdbc.sql("SELECT COUNT(*) FROM lead_import_row WHERE import_id = :id" + filter)
            .param("id", importId);
    if (outcome != null) {
      rows = rows.param("outcome", outcome);
      count = count.param("outcome", outcome);
    }
    List<ReportLine> items =
        rows.query(
                (rs, row) ->
                    new ReportLine(
                        rs.getInt("line"),
                        rs.getString("outcome"),
                        rs.getString("phone_text"),
                        rs.getString("reason")))
            .list();
    return new Page<>(items, page.page(), page.size(), count.query(Long.class).single());
  }

  private static LeadImportReport map(ResultSet rs, int row) throws SQLException {
    return new LeadImportReport(
        UUID.fromString(rs.getString("id")),
        UUID.fromString(rs.getString("campaign_id")),
        rs.getString("file_name"),
        rs.getInt("rows_read"),
        rs.getInt("accepted"),
        rs.getInt("duplicates"),
        rs.getInt("invalid"),
        rs.getInt("held"),
        rs.getInt("in_other_campaigns"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getString("created_by_email"),
        null);
  }

  private static String cut(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max);
  }
}
