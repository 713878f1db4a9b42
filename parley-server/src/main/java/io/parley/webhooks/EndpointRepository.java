package io.parley.webhooks;

import io.parley.shared.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code webhook_endpoint} table. */
@Repository
class EndpointRepository {

  private static final String COLUMNS =
      "id, url, description, event_types, enabled, failing_since, disabled_at, disabled_reason,"
          + " created_at, updated_at";

  /** An enabled endpoint and what it subscribes to, for writing deliveries. */
  record Subscriber(UUID id, List<String> eventTypes) {}

  private final JdbcClient jdbc;

  EndpointRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(
      UUID organisationId,
      UUID id,
      String url,
      String description,
      List<String> eventTypes,
      String sealedSecret,
      UUID createdBy,
      Instant now) {
    jdbc.sql(
            "INSERT INTO webhook_endpoint (id, organisation_id, url, description, event_types,"
                + " secret_sealed, enabled, created_by, created_at, updated_at) VALUES (:id, :org,"
                + " :url, :description, :types, :secret, TRUE, :by, :now, :now)")
        .param("id", id)
        .param("org", organisationId)
        .param("url", url)
        .param("description", description)
        .param("types", String.join(" ", eventTypes))
        .param("secret", sealedSecret)
        .param("by", createdBy)
        .param("now", Timestamp.from(now))
        .update();
  }

  /**
   * Replaces the URL, subscriptions and description, and sets {@code enabled}: enabling clears the
   * failure streak and the reason it was disabled.
   */
  boolean update(
      UUID organisationId,
      UUID id,
      String url,
      String description,
      List<String> eventTypes,
      boolean enabled,
      Instant now) {
    return jdbc.sql(
                "UPDATE webhook_endpoint SET url = :url, description = :description, event_types ="
                    + " :types, failing_since = CASE WHEN :enabled AND NOT enabled THEN NULL ELSE"
                    + " failing_since END, disabled_at = CASE WHEN :enabled THEN NULL WHEN enabled"
                    + " THEN :now ELSE disabled_at END, disabled_reason = CASE WHEN :enabled THEN"
                    + " NULL WHEN enabled THEN 'disabled by an administrator' ELSE disabled_reason"
                    + " END, enabled = :enabled, updated_at = :now WHERE id = :id AND"
                    + " organisation_id = :org")
            .param("url", url)
            .param("description", description)
            .param("types", String.join(" ", eventTypes))
            .param("enabled", enabled)
            .param("now", Timestamp.from(now))
            .param("id", id)
            .param("org", organisationId)
            .update()
        == 1;
  }

  boolean replaceSecret(UUID organisationId, UUID id, String sealedSecret, Instant now) {
    return jdbc.sql(
                "UPDATE webhook_endpoint SET secret_sealed = :secret, updated_at = :now WHERE id ="
                    + " :id AND organisation_id = :org")
            .param("secret", sealedSecret)
            .param("now", Timestamp.from(now))
            .param("id", id)
            .param("org", organisationId)
            .update()
        == 1;
  }

  boolean delete(UUID organisationId, UUID id) {
    return jdbc.sql("DELETE FROM webhook_endpoint WHERE id = :id AND organisation_id = :org")
            .param("id", id)
            .param("org", organisationId)
            .update()
        == 1;
  }

  Optional<WebhookEndpoint> find(UUID organisationId, UUID id) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM webhook_endpoint WHERE id = :id AND organisation_id = :org")
        .param("id", id)
        .param("org", organisationId)
        .query(EndpointRepository::map)
        .optional();
  }

  List<WebhookEndpoint> list(UUID organisationId, PageRequest page) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM webhook_endpoint WHERE organisation_id = :org ORDER BY created_at DESC,"
                + " id LIMIT :limit OFFSET :offset")
        .param("org", organisationId)
        .param("limit", page.size())
        .param("offset", page.offset())
        .query(EndpointRepository::map)
        .list();
  }

  long count(UUID organisationId) {
    return jdbc.sql("SELECT COUNT(*) FROM webhook_endpoint WHERE organisation_id = :org")
        .param("org", organisationId)
        .query(Long.class)
        .single();
  }

  /** The organisation's enabled endpoints and what they subscribe to. */
  List<Subscriber> enabled(UUID organisationId) {
    return jdbc.sql(
            "SELECT id, event_types FROM webhook_endpoint WHERE organisation_id = :org AND"
                + " enabled = TRUE")
        .param("org", organisationId)
        .query(
            (rs, row) ->
                new Subscriber(
                    UUID.fromString(rs.getString("id")), types(rs.getString("event_types"))))
        .list();
  }

  private static WebhookEndpoint map(ResultSet rs, int row) throws SQLException {
    return new WebhookEndpoint(
        UUID.fromString(rs.getString("id")),
        rs.getString("url"),
        rs.getString("description"),
        types(rs.getString("event_types")),
        rs.getBoolean("enabled"),
        instant(rs, "failing_since"),
        instant(rs, "disabled_at"),
        rs.getString("disabled_reason"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        null);
  }

  private static List<String> types(String stored) {
    return Arrays.stream(stored.split(" ")).filter(s -> !s.isEmpty()).toList();
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp value = rs.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }
}
