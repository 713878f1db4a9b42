package io.parley.campaigns;

import io.parley.database.ActiveDatabase;
import io.parley.database.DatabaseVendor;
import io.parley.shared.Page;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** The {@code campaign_lead} table. */
@Repository
class LeadRepository {

  static final String COLUMNS =
      "id, campaign_id, phone_number, first_name, last_name, time_zone, zones, consent_source,"
          + " consent_at, variables, status, status_reason, attempts, last_outcome,"
          + " next_attempt_at, import_id, import_line, created_at, updated_at, callback_state,"
          + " callback_at, callback_local, callback_zone, callback_due_at, callback_summary,"
          + " callback_source, callback_requested_by, callback_requested_call_id,"
          + " callback_requested_at, callback_call_id, callback_note";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<Map<String, String>> VARIABLES = new TypeReference<>() {};

  /** A lead read from a file and the line it came from. */
  record Insert(UUID id, int line, NewLead lead) {}

  private final JdbcClient jdbc;
  private final JdbcTemplate batch;
  private final NamedParameterJdbcTemplate streaming;
  private final boolean postgres;

  LeadRepository(
      JdbcClient jdbc, JdbcTemplate batch, DataSource dataSource, ActiveDatabase database) {
    this.jdbc = jdbc;
    this.batch = batch;
    JdbcTemplate fetching = new JdbcTemplate(dataSource);
    fetching.setFetchSize(500);
    this.streaming = new NamedParameterJdbcTemplate(fetching);
    this.postgres = database.vendor() == DatabaseVendor.POSTGRESQL;
  }

  /**
   * Makes PostgreSQL plan this transaction's statements for their actual values. An import asks
   * "which of these 500 numbers exist?" 200 times while its own rows grow the table; after five
   * runs PostgreSQL would switch to a generic plan, whose IN list of parameters is compared row by
   * row (not hashed, not probed in the index): measured, the first 100,000-row upload into a
   * campaign took 279 s, almost all of it in the database, against 18–29 s once the table had
   * statistics. Transaction-scoped; MariaDB plans every statement afresh anyway.
   */
  void planForActualValues() {
    if (postgres) {
      jdbc.sql("SET LOCAL plan_cache_mode = force_custom_plan").update();
    }
  }

  /** Inserts leads of one import in one batch. */
  void insert(UUID campaignId, UUID importId, List<Insert> leads, Instant now) {
    if (leads.isEmpty()) {
      return;
    }
    Timestamp at = Timestamp.from(now);
    batch.batchUpdate(
        "INSERT INTO campaign_lead (id, campaign_id, phone_number, first_name, last_name,"
            + " time_zone, zones, consent_source, consent_at, variables, status, status_reason,"
            + " attempts, import_id, import_line, created_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)",
        leads,
        leads.size(),
        (statement, insert) -> {
          NewLead lead = insert.lead();
          statement.setString(1, insert.id().toString());
          statement.setString(2, campaignId.toString());
          statement.setString(3, lead.phoneNumber());
          statement.setString(4, lead.firstName());
          statement.setString(5, lead.lastName());
          statement.setString(6, lead.timeZone());
          statement.setString(7, lead.zones().isEmpty() ? null : String.join(",", lead.zones()));
          statement.setString(8, lead.consentSource());
          if (lead.consentAt() == null) {
            statement.setNull(9, Types.TIMESTAMP);
          } else {
            statement.setTimestamp(9, Timestamp.from(lead.consentAt()));
          }
          statement.setString(10, JSON.writeValueAsString(lead.variables()));
          statement.setString(11, lead.status().wire());
          statement.setString(12, lead.statusReason());
          statement.setString(13, importId.toString());
          statement.setInt(14, insert.line());
          statement.setTimestamp(15, at);
          statement.setTimestamp(16, at);
        });
  }

  /** Which of these numbers the campaign already has. */
  Set<String> existing(UUID campaignId, Collection<String> numbers) {
    if (numbers.isEmpty()) {
      return Set.of();
    }
    return new HashSet<>(
        jdbc.sql(
                "SELECT phone_number FROM campaign_lead WHERE campaign_id = :campaign"
                    + " AND phone_number IN (:numbers)")
            .param("campaign", campaignId)
            .param("numbers", numbers)
            .query(String.class)
            .list());
  }

  /**
   * Which of these numbers are leads of another active campaign (draft, running or paused) of the
   * organisation: number to that campaign's name (one of them).
   */
  Map<String, String> inOtherActiveCampaigns(
      UUID organisationId, UUID campaignId, Collection<String> numbers) {
    Map<String, String> found = new HashMap<>();
    if (numbers.isEmpty()) {
      return found;
    }
    jdbc.sql(
            "SELECT l.phone_number, c.name FROM campaign_lead l JOIN campaign c ON c.id ="
                + " l.campaign_id WHERE c.organisation_id = :org AND c.id <> :campaign AND c.status"
                + " IN ('draft', 'running', 'paused') AND l.phone_number IN (:numbers)")
        .param("org", organisationId)
        .param("campaign", campaignId)
        .param("numbers", numbers)
        .query((RowCallbackHandler) rs -> found.putIfAbsent(rs.getString(1), rs.getString(2)));
    return found;
  }

  /**
   * Every lead the query's filters select, in its order, handed over one at a time as the database
   * sends them (500 rows per fetch): an export of a million leads holds one page in memory. Call in
   * a transaction (PostgreSQL streams only inside one).
   */
  void forEach(UUID campaignId, LeadQuery query, java.util.function.Consumer<Lead> each) {
    Map<String, Object> params = new HashMap<>();
    String where = where(campaignId, query, params);
    streaming.query(
        "SELECT " + COLUMNS + " FROM campaign_lead" + where + query.orderBy(),
        params,
        (RowCallbackHandler) rs -> each.accept(map(rs, 0)));
  }

  Page<Lead> list(UUID campaignId, LeadQuery query) {
    Map<String, Object> params = new HashMap<>();
    String where = where(campaignId, query, params);
    List<Lead> items =
        jdbc.sql(
                "SELECT "
                    + COLUMNS
                    + " FROM campaign_lead"
                    + where
                    + query.orderBy()
                    + " LIMIT :limit OFFSET :offset")
            .params(params)
            .param("limit", query.page().size())
            .param("offset", query.page().offset())
            .query(LeadRepository::map)
            .list();
    long total =
        jdbc.sql("SELECT COUNT(*) FROM campaign_lead" + where)
            .params(params)
            .query(Long.class)
            .single();
    return new Page<>(items, query.page().page(), query.page().size(), total);
  }

  private static String where(UUID campaignId, LeadQuery query, Map<String, Object> params) {
    StringBuilder where = new StringBuilder(" WHERE campaign_id = :campaign");
    params.put("campaign", campaignId);
    if (query.status() != null) {
      where.append(" AND status = :status");
      params.put("status", query.status().wire());
    }
    if (query.phonePrefix() != null) {
      where.append(" AND phone_number LIKE :prefix");
      String digits =
          query.phonePrefix().startsWith("+") ? query.phonePrefix() : "+" + query.phonePrefix();
      params.put("prefix", digits + "%");
    }
    if (query.importId() != null) {
      where.append(" AND import_id = :import");
      params.put("import", query.importId());
    }
    return where.toString();
  }

  Optional<Lead> find(UUID campaignId, UUID leadId) {
    return jdbc.sql(
            "SELECT " + COLUMNS + " FROM campaign_lead WHERE campaign_id = :campaign AND id = :id")
        .param("campaign", campaignId)
        .param("id", leadId)
        .query(LeadRepository::map)
        .optional();
  }

  static Lead map(ResultSet rs, int row) throws SQLException {
    String zones = rs.getString("zones");
    String importId = rs.getString("import_id");
    int line = rs.getInt("import_line");
    Integer importLine = rs.wasNull() ? null : line;
    return new Lead(
        UUID.fromString(rs.getString("id")),
        UUID.fromString(rs.getString("campaign_id")),
        rs.getString("phone_number"),
        rs.getString("first_name"),
        rs.getString("last_name"),
        rs.getString("time_zone"),
        zones == null ? List.of() : Arrays.asList(zones.split(",")),
        rs.getString("consent_source"),
        instant(rs.getTimestamp("consent_at")),
        JSON.readValue(rs.getString("variables"), VARIABLES),
        LeadStatus.fromWire(rs.getString("status")),
        rs.getString("status_reason"),
        rs.getInt("attempts"),
        rs.getString("last_outcome"),
        instant(rs.getTimestamp("next_attempt_at")),
        importId == null ? null : UUID.fromString(importId),
        importLine,
        rs.getTimestamp("created_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant(),
        callback(rs));
  }

  private static LeadCallback callback(ResultSet rs) throws SQLException {
    String state = rs.getString("callback_state");
    if (state == null) {
      return null;
    }
    String zone = rs.getString("callback_zone");
    Instant requestedAt = instant(rs.getTimestamp("callback_at"));
    Instant dueAt = instant(rs.getTimestamp("callback_due_at"));
    String source = rs.getString("callback_source");
    return new LeadCallback(
        LeadCallback.State.fromWire(state),
        rs.getString("callback_local"),
        zone,
        requestedAt,
        dueAt,
        LeadCallback.local(dueAt, zone),
        dueAt != null && !dueAt.equals(requestedAt),
        rs.getString("callback_summary"),
        source == null ? null : LeadCallback.Source.fromWire(source),
        rs.getString("callback_requested_by"),
        uuid(rs.getString("callback_requested_call_id")),
        instant(rs.getTimestamp("callback_requested_at")),
        uuid(rs.getString("callback_call_id")),
        rs.getString("callback_note"));
  }

  private static UUID uuid(String text) {
    return text == null ? null : UUID.fromString(text);
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
