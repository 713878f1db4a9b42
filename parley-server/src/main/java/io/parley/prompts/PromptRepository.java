package io.parley.prompts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rows of {@code prompt} and {@code prompt_version}, with SQL that runs unchanged on PostgreSQL and
 * MariaDB. Versions are only ever inserted.
 */
@Repository
class PromptRepository {

  private static final TypeReference<List<PromptVariable>> VARIABLES = new TypeReference<>() {};

  private static final String PROMPT_COLUMNS =
      "id, name, description, current_version, created_at, created_by_id, created_by_email,"
          + " updated_at";

  private final JdbcClient jdbc;
  private final JsonMapper json;

  PromptRepository(JdbcClient jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** A live (not deleted) prompt's row. */
  record PromptRow(
      UUID id,
      String name,
      String description,
      int currentVersion,
      Instant createdAt,
      UUID createdById,
      String createdByEmail,
      Instant updatedAt) {}

  /** A version without its content, for lists. */
  record VersionSummary(
      int number, String note, UUID authorId, String authorEmail, Instant createdAt) {}

  void insertPrompt(UUID organisationId, PromptRow row) {
    jdbc.sql(
            "INSERT INTO prompt (id, organisation_id, name, description, current_version,"
                + " created_at, created_by_id, created_by_email, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            row.id(),
            organisationId,
            row.name(),
            row.description(),
            row.currentVersion(),
            Timestamp.from(row.createdAt()),
            row.createdById(),
            row.createdByEmail(),
            Timestamp.from(row.updatedAt()))
        .update();
  }

  void insertVersion(UUID organisationId, PromptVersion version) {
    jdbc.sql(
            "INSERT INTO prompt_version (prompt_id, version_number, organisation_id, content,"
                + " variables, note, author_id, author_email, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            version.promptId(),
            version.number(),
            organisationId,
            version.content(),
            json.writeValueAsString(version.variables()),
            version.note(),
            version.authorId(),
            version.authorEmail(),
            Timestamp.from(version.createdAt()))
        .update();
  }

  /**
   * Moves a live prompt from {@code baseVersion} to {@code baseVersion + 1}; the condition on the
   * current version makes concurrent edits race safely. Returns false when nothing matched.
   */
  boolean advance(
      UUID organisationId,
      UUID promptId,
      int baseVersion,
      String name,
      String description,
      Instant updatedAt) {
    int rows =
        jdbc.sql(
                "UPDATE prompt SET current_version = ?, name = ?, description = ?, updated_at = ?"
                    + " WHERE id = ? AND organisation_id = ? AND current_version = ?"
                    + " AND deleted_at IS NULL")
            .params(
                baseVersion + 1,
                name,
                description,
                Timestamp.from(updatedAt),
                promptId,
                organisationId,
                baseVersion)
            .update();
    return rows == 1;
  }

  /**
   * The current version as committed right now, locking the row. Under MariaDB's repeatable read a
   * plain select would repeat the transaction's earlier snapshot; a locking read sees the latest.
   */
  Optional<Integer> lockCurrentVersion(UUID organisationId, UUID promptId) {
    return jdbc.sql(
            "SELECT current_version FROM prompt"
                + " WHERE id = ? AND organisation_id = ? AND deleted_at IS NULL FOR UPDATE")
        .params(promptId, organisationId)
        .query(Integer.class)
        .optional();
  }

  boolean softDelete(UUID organisationId, UUID promptId, Instant deletedAt) {
    int rows =
        jdbc.sql(
                "UPDATE prompt SET deleted_at = ?, updated_at = ?"
                    + " WHERE id = ? AND organisation_id = ? AND deleted_at IS NULL")
            .params(Timestamp.from(deletedAt), Timestamp.from(deletedAt), promptId, organisationId)
            .update();
    return rows == 1;
  }

  Optional<PromptRow> findLive(UUID organisationId, UUID promptId) {
    return jdbc.sql(
            "SELECT "
                + PROMPT_COLUMNS
                + " FROM prompt WHERE id = ? AND organisation_id = ? AND deleted_at IS NULL")
        .params(promptId, organisationId)
        .query(PromptRepository::promptRow)
        .optional();
  }

  List<PromptRow> findLive(UUID organisationId, String query, int limit, long offset) {
    return jdbc.sql(
            "SELECT "
                + PROMPT_COLUMNS
                + " FROM prompt WHERE "
                + liveMatching()
                + " ORDER BY updated_at DESC, id LIMIT ? OFFSET ?")
        .params(organisationId, pattern(query), pattern(query), limit, offset)
        .query(PromptRepository::promptRow)
        .list();
  }

  long countLive(UUID organisationId, String query) {
    return jdbc.sql("SELECT COUNT(*) FROM prompt WHERE " + liveMatching())
        .params(organisationId, pattern(query), pattern(query))
        .query(Long.class)
        .single();
  }

  /** Whether another live prompt already has this name, ignoring case. */
  boolean nameTaken(UUID organisationId, String name, UUID exceptPromptId) {
    return jdbc.sql(
                "SELECT COUNT(*) FROM prompt WHERE organisation_id = ? AND deleted_at IS NULL"
                    + " AND LOWER(name) = LOWER(?) AND id <> ?")
            .params(organisationId, name, exceptPromptId)
            .query(Long.class)
            .single()
        > 0;
  }

  Optional<PromptVersion> findVersion(UUID organisationId, UUID promptId, int number) {
    return jdbc.sql(
            "SELECT prompt_id, version_number, content, variables, note, author_id, author_email,"
                + " created_at FROM prompt_version"
                + " WHERE prompt_id = ? AND organisation_id = ? AND version_number = ?")
        .params(promptId, organisationId, number)
        .query(this::version)
        .optional();
  }

  List<VersionSummary> findVersions(UUID organisationId, UUID promptId, int limit, long offset) {
    return jdbc.sql(
            "SELECT version_number, note, author_id, author_email, created_at FROM prompt_version"
                + " WHERE prompt_id = ? AND organisation_id = ?"
                + " ORDER BY version_number DESC LIMIT ? OFFSET ?")
        .params(promptId, organisationId, limit, offset)
        .query(
            (rs, n) ->
                new VersionSummary(
                    rs.getInt("version_number"),
                    rs.getString("note"),
                    UUID.fromString(rs.getString("author_id")),
                    rs.getString("author_email"),
                    rs.getTimestamp("created_at").toInstant()))
        .list();
  }

  // Matches everything when the query is null: "? IS NULL" needs a typed parameter on
  // PostgreSQL, so the pattern '%' stands in for "no filter".
  private static String liveMatching() {
    return "organisation_id = ? AND deleted_at IS NULL"
        + " AND (LOWER(name) LIKE ? ESCAPE '!' OR LOWER(COALESCE(description, '')) LIKE ?"
        + " ESCAPE '!')";
  }

  private static String pattern(String query) {
    if (query == null || query.isBlank()) {
      return "%";
    }
    String escaped =
        query
            .strip()
            .toLowerCase(Locale.ROOT)
            .replace("!", "!!")
            .replace("%", "!%")
            .replace("_", "!_");
    return "%" + escaped + "%";
  }

  private static PromptRow promptRow(ResultSet rs, int rowNumber) throws SQLException {
    return new PromptRow(
        UUID.fromString(rs.getString("id")),
        rs.getString("name"),
        rs.getString("description"),
        rs.getInt("current_version"),
        rs.getTimestamp("created_at").toInstant(),
        UUID.fromString(rs.getString("created_by_id")),
        rs.getString("created_by_email"),
        rs.getTimestamp("updated_at").toInstant());
  }

  private PromptVersion version(ResultSet rs, int rowNumber) throws SQLException {
    return new PromptVersion(
        UUID.fromString(rs.getString("prompt_id")),
        rs.getInt("version_number"),
        rs.getString("content"),
        json.readValue(rs.getString("variables"), VARIABLES),
        rs.getString("note"),
        UUID.fromString(rs.getString("author_id")),
        rs.getString("author_email"),
        rs.getTimestamp("created_at").toInstant());
  }
}
