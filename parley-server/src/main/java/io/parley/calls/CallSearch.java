package io.parley.calls;

import io.parley.database.ActiveDatabase;
import io.parley.database.DatabaseVendor;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Turns a {@link CallFilter} into SQL over {@code call_record c}, the same for the page and the CSV
 * export. Values are always bound, never written into the text.
 *
 * <p>The transcript search is {@code LOWER(text) LIKE '%…%'} with the search's own {@code %},
 * {@code _} and {@code !} escaped (escape character {@code !}: a backslash is a string escape in
 * MariaDB but not in PostgreSQL). On MariaDB the comparison uses the binary collation: the tables'
 * {@code utf8mb4_unicode_ci} would also ignore accents ({@code e} finding {@code é}), which
 * PostgreSQL does not, and both databases must return the same calls.
 */
@Component
class CallSearch {

  /** What a WHERE clause needs: its text and its parameters. */
  record Where(String sql, Map<String, Object> params) {}

  private final boolean mariadb;

  CallSearch(ActiveDatabase database) {
    this.mariadb = database.vendor() != DatabaseVendor.POSTGRESQL;
  }

  Where where(UUID organisationId, CallFilter filter) {
    List<String> conditions = new ArrayList<>(List.of("c.organisation_id = :org"));
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("org", organisationId);
    add(conditions, params, "c.agent_id = :agentId", "agentId", filter.agentId());
    add(
        conditions,
        params,
        "c.direction = :direction",
        "direction",
        filter.direction() == null ? null : filter.direction().wire());
    add(
        conditions,
        params,
        "c.status = :status",
        "status",
        filter.status() == null ? null : filter.status().wire());
    add(
        conditions,
        params,
        "c.outcome = :outcome",
        "outcome",
        filter.outcome() == null ? null : filter.outcome().wire());
    add(conditions, params, "c.answered_by = :answeredBy", "answeredBy", filter.answeredBy());
    add(conditions, params, "c.campaign_id = :campaignId", "campaignId", filter.campaignId());
    add(conditions, params, "c.from_number = :fromNumber", "fromNumber", filter.fromNumber());
    add(conditions, params, "c.to_number = :toNumber", "toNumber", filter.toNumber());
    add(
        conditions,
        params,
        "c.created_at >= :from",
        "from",
        filter.from() == null ? null : Timestamp.from(filter.from()));
    add(
        conditions,
        params,
        "c.created_at < :to",
        "to",
        filter.to() == null ? null : Timestamp.from(filter.to()));
    if (filter.hasRecording() != null) {
      conditions.add(
          filter.hasRecording() ? "c.recording_sid IS NOT NULL" : "c.recording_sid IS NULL");
    }
    if (filter.text() != null) {
      String text = mariadb ? "LOWER(s.text) COLLATE utf8mb4_bin" : "LOWER(s.text)";
      conditions.add(
          "EXISTS (SELECT 1 FROM transcript_segment s WHERE s.call_id = c.id AND "
              + text
              + " LIKE :pattern ESCAPE '!')");
      params.put("pattern", "%" + escape(filter.text().toLowerCase(Locale.ROOT)) + "%");
    }
    return new Where(" WHERE " + String.join(" AND ", conditions), params);
  }

  /** The search as a literal LIKE pattern: its wildcards match only themselves. */
  static String escape(String text) {
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  private static void add(
      List<String> conditions,
      Map<String, Object> params,
      String condition,
      String name,
      Object value) {
    if (value != null) {
      conditions.add(condition);
      params.put(name, value);
    }
  }
}
