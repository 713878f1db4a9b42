package io.parley.compliance;

import io.parley.database.ActiveDatabase;
import io.parley.database.DatabaseVendor;
import io.parley.shared.Actor;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** The registry tables: {@code dnc_registry}, its copies, their area codes and numbers. */
@Repository
class RegistryRepository {

  /** Rows written by one INSERT statement. */
  static final int ROWS_PER_STATEMENT = 1000;

  private final JdbcClient jdbc;
  private final JdbcTemplate template;
  private final boolean postgres;

  RegistryRepository(JdbcClient jdbc, JdbcTemplate template, ActiveDatabase database) {
    this.jdbc = jdbc;
    this.template = template;
    this.postgres = database.vendor() == DatabaseVendor.POSTGRESQL;
  }

  record Registry(UUID id, String name, RegistryKind kind, Instant createdAt) {}

  /** An area code of a list and the copy in force there. */
  record Area(
      UUID registryId,
      String name,
      RegistryKind kind,
      int areaCode,
      long copyId,
      LocalDate asOf,
      long numbers) {}

  record Copy(
      long id,
      UUID registryId,
      String coverage,
      LocalDate asOf,
      String status,
      long numbers,
      Instant startedAt,
      Instant updatedAt,
      String importedBy) {}

  /** A covering copy's answer for one number: its list, age and whether it lists the number. */
  record Coverage(String name, RegistryKind kind, LocalDate asOf, boolean listed) {}

  Optional<Registry> find(UUID organisationId, String name, boolean locking) {
    return jdbc.sql(
            "SELECT id, name, kind, created_at FROM dnc_registry WHERE organisation_id = :org AND"
                + " name = :name"
                + (locking ? " FOR UPDATE" : ""))
        .param("org", organisationId)
        .param("name", name)
        .query(
            (rs, row) ->
                new Registry(
                    UUID.fromString(rs.getString("id")),
                    rs.getString("name"),
                    RegistryKind.fromWire(rs.getString("kind")),
                    rs.getTimestamp("created_at").toInstant()))
        .optional();
  }

  void insertRegistry(UUID organisationId, Registry registry) {
    jdbc.sql(
            "INSERT INTO dnc_registry (id, organisation_id, name, kind, created_at)"
                + " VALUES (:id, :org, :name, :kind, :at)")
        .param("id", registry.id())
        .param("org", organisationId)
        .param("name", registry.name())
        .param("kind", registry.kind().wire())
        .param("at", Timestamp.from(registry.createdAt()))
        .update();
  }

  boolean deleteRegistry(UUID registryId) {
    // The area rows go with it (ON DELETE CASCADE); the copies' numbers are purged afterwards.
    jdbc.sql("DELETE FROM dnc_registry_area WHERE registry_id = :id")
        .param("id", registryId)
        .update();
    return jdbc.sql("DELETE FROM dnc_registry WHERE id = :id").param("id", registryId).update()
        == 1;
  }

  /** Starts a copy with status {@code loading}; its id. */
  long insertCopy(
      UUID organisationId,
      UUID registryId,
      String coverage,
      LocalDate asOf,
      Actor by,
      Instant now) {
    KeyHolder key = new GeneratedKeyHolder();
    jdbc.sql(
            "INSERT INTO dnc_registry_copy (registry_id, organisation_id, coverage, as_of, status,"
                + " numbers, started_at, updated_at, imported_by_id, imported_by_email)"
                + " VALUES (:registry, :org, :coverage, :asOf, 'loading', 0, :now, :now, :byId,"
                + " :byEmail)")
        .param("registry", registryId)
        .param("org", organisationId)
        .param("coverage", coverage)
        .param("asOf", Date.valueOf(asOf))
        .param("now", Timestamp.from(now))
        .param("byId", by == null ? null : by.userId())
        .param("byEmail", by == null ? null : by.email(), Types.VARCHAR)
        .update(key, "id");
    return key.getKeyAs(Number.class).longValue();
  }

  /** A copy of this list still loading, its heartbeat newer than {@code since}. */
  Optional<Long> loadingCopy(UUID registryId, Instant since) {
    return jdbc
        .sql(
            "SELECT id FROM dnc_registry_copy WHERE registry_id = :registry AND status = 'loading'"
                + " AND updated_at > :since")
        .param("registry", registryId)
        .param("since", Timestamp.from(since))
        .query(Long.class)
        .list()
        .stream()
        .findFirst();
  }

  void heartbeat(long copyId, Instant now) {
    jdbc.sql("UPDATE dnc_registry_copy SET updated_at = :now WHERE id = :id")
        .param("now", Timestamp.from(now))
        .param("id", copyId)
        .update();
  }

  void finishCopy(long copyId, String status, long numbers, Instant now) {
    jdbc.sql(
            "UPDATE dnc_registry_copy SET status = :status, numbers = :numbers, updated_at = :now"
                + " WHERE id = :id")
        .param("status", status)
        .param("numbers", numbers)
        .param("now", Timestamp.from(now))
        .param("id", copyId)
        .update();
  }

  /**
   * Writes one batch of numbers, skipping any the copy already has (a file may repeat a number).
   * Multi-row INSERTs: one round trip per {@link #ROWS_PER_STATEMENT} rows.
   *
   * @param numbers pairs: area code at even indexes, local number after it
   */
  void insertNumbers(long copyId, int[] numbers, int count) {
    for (int from = 0; from < count; from += ROWS_PER_STATEMENT) {
      int rows = Math.min(ROWS_PER_STATEMENT, count - from);
      StringBuilder sql =
          new StringBuilder(
              postgres
                  ? "INSERT INTO dnc_registry_number (copy_id, area_code, local_number) VALUES "
                  : "INSERT IGNORE INTO dnc_registry_number (copy_id, area_code, local_number)"
                      + " VALUES ");
      for (int i = 0; i < rows; i++) {
        sql.append(i == 0 ? "(?, ?, ?)" : ", (?, ?, ?)");
      }
      if (postgres) {
        sql.append(" ON CONFLICT DO NOTHING");
      }
      int start = from;
      template.update(
          sql.toString(),
          (PreparedStatement statement) -> bind(statement, copyId, numbers, start, rows));
    }
  }

  private static void bind(
      PreparedStatement statement, long copyId, int[] numbers, int from, int rows)
      throws SQLException {
    int p = 1;
    for (int i = from; i < from + rows; i++) {
      statement.setLong(p++, copyId);
      statement.setInt(p++, numbers[2 * i]);
      statement.setInt(p++, numbers[2 * i + 1]);
    }
  }

  /** The numbers a copy holds, per area code. */
  Map<Integer, Long> countNumbers(long copyId) {
    Map<Integer, Long> counts = new HashMap<>();
    jdbc.sql(
            "SELECT area_code, COUNT(*) AS n FROM dnc_registry_number WHERE copy_id = :copy"
                + " GROUP BY area_code")
        .param("copy", copyId)
        .query(
            (org.springframework.jdbc.core.RowCallbackHandler)
                rs -> counts.put(rs.getInt("area_code"), rs.getLong("n")));
    return counts;
  }

  /** The copy in force for an area code of a list, if any. */
  Optional<Long> copyInForce(UUID registryId, int areaCode) {
    return jdbc.sql(
            "SELECT copy_id FROM dnc_registry_area WHERE registry_id = :registry AND area_code ="
                + " :code")
        .param("registry", registryId)
        .param("code", areaCode)
        .query(Long.class)
        .optional();
  }

  /** Points an area code of a list at a copy (deletes the old row, inserts the new one). */
  void switchArea(UUID registryId, int areaCode, long copyId, LocalDate asOf, long numbers) {
    jdbc.sql("DELETE FROM dnc_registry_area WHERE registry_id = :registry AND area_code = :code")
        .param("registry", registryId)
        .param("code", areaCode)
        .update();
    jdbc.sql(
            "INSERT INTO dnc_registry_area (registry_id, area_code, copy_id, as_of, numbers)"
                + " VALUES (:registry, :code, :copy, :asOf, :numbers)")
        .param("registry", registryId)
        .param("code", areaCode)
        .param("copy", copyId)
        .param("asOf", Date.valueOf(asOf))
        .param("numbers", numbers)
        .update();
  }

  /** The copies covering an area code for an organisation, and whether each lists the number. */
  List<Coverage> covering(UUID organisationId, int areaCode, int localNumber) {
    return jdbc.sql(
            "SELECT r.name, r.kind, a.as_of, EXISTS (SELECT 1 FROM dnc_registry_number n WHERE"
                + " n.copy_id = a.copy_id AND n.area_code = a.area_code AND n.local_number ="
                + " :local) AS listed FROM dnc_registry_area a JOIN dnc_registry r ON r.id ="
                + " a.registry_id WHERE r.organisation_id = :org AND a.area_code = :code"
                + " ORDER BY r.name")
        .param("org", organisationId)
        .param("code", areaCode)
        .param("local", localNumber)
        .query(
            (rs, row) ->
                new Coverage(
                    rs.getString("name"),
                    RegistryKind.fromWire(rs.getString("kind")),
                    rs.getDate("as_of").toLocalDate(),
                    rs.getBoolean("listed")))
        .list();
  }

  /** Every area code in force, of every list of the organisation. */
  List<Area> areas(UUID organisationId) {
    return jdbc.sql(
            "SELECT r.id, r.name, r.kind, a.area_code, a.copy_id, a.as_of, a.numbers FROM"
                + " dnc_registry r JOIN dnc_registry_area a ON a.registry_id = r.id WHERE"
                + " r.organisation_id = :org ORDER BY r.name, a.area_code")
        .param("org", organisationId)
        .query(
            (rs, row) ->
                new Area(
                    UUID.fromString(rs.getString("id")),
                    rs.getString("name"),
                    RegistryKind.fromWire(rs.getString("kind")),
                    rs.getInt("area_code"),
                    rs.getLong("copy_id"),
                    rs.getDate("as_of").toLocalDate(),
                    rs.getLong("numbers")))
        .list();
  }

  /** The lists of an organisation, with or without area codes in force. */
  List<Registry> registries(UUID organisationId) {
    return jdbc.sql(
            "SELECT id, name, kind, created_at FROM dnc_registry WHERE organisation_id = :org"
                + " ORDER BY name")
        .param("org", organisationId)
        .query(
            (rs, row) ->
                new Registry(
                    UUID.fromString(rs.getString("id")),
                    rs.getString("name"),
                    RegistryKind.fromWire(rs.getString("kind")),
                    rs.getTimestamp("created_at").toInstant()))
        .list();
  }

  /** The oldest download date among the area codes in force anywhere (all organisations). */
  Optional<LocalDate> oldestAsOf() {
    return jdbc.sql("SELECT MIN(as_of) FROM dnc_registry_area")
        .query((rs, row) -> rs.getDate(1) == null ? null : rs.getDate(1).toLocalDate())
        .optional();
  }

  List<Copy> copies(List<Long> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return jdbc.sql(
            "SELECT id, registry_id, coverage, as_of, status, numbers, started_at, updated_at,"
                + " imported_by_email FROM dnc_registry_copy WHERE id IN (:ids) ORDER BY id")
        .param("ids", ids)
        .query(RegistryRepository::copy)
        .list();
  }

  /** Copies whose rows may need purging: not superseded, and not loading with a fresh heartbeat. */
  List<Copy> purgeCandidates(Instant loadingSince) {
    return jdbc.sql(
            "SELECT id, registry_id, coverage, as_of, status, numbers, started_at, updated_at,"
                + " imported_by_email FROM dnc_registry_copy WHERE status IN ('active', 'failed')"
                + " OR (status = 'loading' AND updated_at <= :since) ORDER BY id")
        .param("since", Timestamp.from(loadingSince))
        .query(RegistryRepository::copy)
        .list();
  }

  /** The area codes where a copy is in force. */
  List<Integer> areasInForce(long copyId) {
    return jdbc.sql("SELECT area_code FROM dnc_registry_area WHERE copy_id = :copy")
        .param("copy", copyId)
        .query(Integer.class)
        .list();
  }

  /**
   * Deletes up to {@code batch} numbers of one area code of a copy, in key order (so each delete is
   * a range of the primary key, on either database); how many it deleted.
   */
  int deleteBatch(long copyId, int areaCode, int batch) {
    Optional<Integer> last =
        jdbc.sql(
                "SELECT local_number FROM dnc_registry_number WHERE copy_id = :copy AND area_code"
                    + " = :code ORDER BY local_number LIMIT 1 OFFSET :offset")
            .param("copy", copyId)
            .param("code", areaCode)
            .param("offset", batch - 1)
            .query(Integer.class)
            .optional();
    return jdbc.sql(
            "DELETE FROM dnc_registry_number WHERE copy_id = :copy AND area_code = :code"
                + (last.isPresent() ? " AND local_number <= :last" : ""))
        .param("copy", copyId)
        .param("code", areaCode)
        .param("last", last.orElse(0))
        .update();
  }

  /** Whether a copy still has rows for an area code (an index-only look). */
  boolean hasNumbers(long copyId, int areaCode) {
    return !jdbc.sql(
            "SELECT local_number FROM dnc_registry_number WHERE copy_id = :copy AND area_code ="
                + " :code LIMIT 1")
        .param("copy", copyId)
        .param("code", areaCode)
        .query(Integer.class)
        .list()
        .isEmpty();
  }

  void markStatus(long copyId, String status) {
    jdbc.sql("UPDATE dnc_registry_copy SET status = :status WHERE id = :id")
        .param("status", status)
        .param("id", copyId)
        .update();
  }

  private static Copy copy(java.sql.ResultSet rs, int row) throws SQLException {
    return new Copy(
        rs.getLong("id"),
        UUID.fromString(rs.getString("registry_id")),
        rs.getString("coverage"),
        rs.getDate("as_of").toLocalDate(),
        rs.getString("status"),
        rs.getLong("numbers"),
        rs.getTimestamp("started_at").toInstant(),
        rs.getTimestamp("updated_at").toInstant(),
        rs.getString("imported_by_email"));
  }
}
