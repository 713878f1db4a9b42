package io.parley.audit;

import io.parley.shared.AuditEvent;
import io.parley.shared.Organisations;
import io.parley.shared.Page;
import io.parley.shared.PageRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes and reads {@code audit_log}.
 *
 * <p>The listener is a plain synchronous {@link EventListener}, not an after-commit one: the entry
 * joins the publisher's transaction, so a change that rolls back leaves no entry, and an entry
 * cannot be lost after its change committed. Events published outside a transaction (a failed
 * sign-in) are committed on their own.
 */
@Component
class AuditLog {

  private static final TypeReference<Map<String, Object>> DETAILS = new TypeReference<>() {};
  private static final int MAX_EMAIL = 254;
  private static final int MAX_TARGET_ID = 100;

  private final JdbcClient jdbc;
  private final JsonMapper json;
  private final Clock clock;

  AuditLog(JdbcClient jdbc, JsonMapper json, Clock clock) {
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
  }

  @EventListener
  void record(AuditEvent event) {
    jdbc.sql(
            "INSERT INTO audit_log (id, organisation_id, occurred_at, actor_id, actor_email,"
                + " action, target_type, target_id, details, client_address)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .param(UUID.randomUUID())
        .param(Organisations.DEFAULT_ID)
        .param(Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MICROS)))
        .param(event.actorId())
        .param(truncate(event.actorEmail(), MAX_EMAIL))
        .param(event.action())
        .param(event.targetType())
        .param(truncate(event.targetId(), MAX_TARGET_ID))
        .param(json.writeValueAsString(event.details()))
        .param(clientAddress())
        .update();
  }

  Page<AuditEntry> find(AuditFilter filter, PageRequest page) {
    StringBuilder where = new StringBuilder(" WHERE organisation_id = ?");
    List<Object> params = new ArrayList<>();
    params.add(Organisations.DEFAULT_ID);
    condition(where, params, "action = ?", filter.action());
    condition(where, params, "actor_id = ?", filter.actorId());
    condition(where, params, "target_type = ?", filter.targetType());
    condition(where, params, "target_id = ?", filter.targetId());
    condition(
        where,
        params,
        "occurred_at >= ?",
        filter.from() == null ? null : Timestamp.from(filter.from()));
    condition(
        where, params, "occurred_at < ?", filter.to() == null ? null : Timestamp.from(filter.to()));
    long total =
        jdbc.sql("SELECT COUNT(*) FROM audit_log" + where)
            .params(params)
            .query(Long.class)
            .single();
    List<Object> pageParams = new ArrayList<>(params);
    pageParams.add(page.size());
    pageParams.add(page.offset());
    List<AuditEntry> items =
        jdbc.sql(
                "SELECT id, occurred_at, actor_id, actor_email, action, target_type, target_id,"
                    + " details, client_address FROM audit_log"
                    + where
                    + " ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?")
            .params(pageParams)
            .query(this::map)
            .list();
    return new Page<>(items, page.page(), page.size(), total);
  }

  private static void condition(
      StringBuilder where, List<Object> params, String clause, Object value) {
    if (value != null) {
      where.append(" AND ").append(clause);
      params.add(value);
    }
  }

  private AuditEntry map(ResultSet rs, int row) throws SQLException {
    String actorId = rs.getString("actor_id");
    return new AuditEntry(
        UUID.fromString(rs.getString("id")),
        rs.getTimestamp("occurred_at").toInstant(),
        actorId == null ? null : UUID.fromString(actorId),
        rs.getString("actor_email"),
        rs.getString("action"),
        rs.getString("target_type"),
        rs.getString("target_id"),
        json.readValue(rs.getString("details"), DETAILS),
        rs.getString("client_address"));
  }

  /** The address of the request being served, when the event comes from one. */
  private static String clientAddress() {
    if (RequestContextHolder.getRequestAttributes()
        instanceof ServletRequestAttributes attributes) {
      HttpServletRequest request = attributes.getRequest();
      return truncate(request.getRemoteAddr(), 64);
    }
    return null;
  }

  private static String truncate(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }
}
