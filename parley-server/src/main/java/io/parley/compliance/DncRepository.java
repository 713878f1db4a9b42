package io.parley.compliance;

import io.parley.shared.Actor;
import io.parley.shared.PageRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code do_not_call} table, company-wide layer ({@code campaign_id IS NULL}). Active entries
 * are the ones with {@code removed_at IS NULL}; removed ones stay for the record.
 */
@Repository
class DncRepository {

  static final String COLUMNS =
      "id, phone_number, source, reason, call_id, created_at, created_by_id, created_by_email,"
          + " removed_at, removed_by_id, removed_by_email, removal_reason";
  private static final String COMPANY_WIDE = "organisation_id = :org AND campaign_id IS NULL";

  private final JdbcClient jdbc;

  DncRepository(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Inserts an entry inside a savepoint, so that losing a race against a concurrent insert of the
   * same number (the unique index refuses it) leaves the caller's transaction usable: PostgreSQL
   * would otherwise abort the whole transaction on the failed statement.
   *
   * @throws DuplicateKeyException when the number already has an active entry
   */
  @Transactional(propagation = Propagation.NESTED)
  void insert(UUID organisationId, DncEntry entry) {
    jdbc.sql(
            "INSERT INTO do_not_call (id, organisation_id, campaign_id, phone_number, source,"
                + " reason, call_id, created_at, created_by_id, created_by_email)"
                + " VALUES (:id, :org, NULL, :number, :source, :reason, :callId, :createdAt,"
                + " :createdById, :createdByEmail)")
        .param("id", entry.id())
        .param("org", organisationId)
        .param("number", entry.phoneNumber())
        .param("source", entry.source().wire())
        .param("reason", entry.reason(), Types.VARCHAR)
        .param("callId", entry.callId())
        .param("createdAt", Timestamp.from(entry.createdAt()))
        .param("createdById", entry.createdBy() == null ? null : entry.createdBy().userId())
        .param(
            "createdByEmail",
            entry.createdBy() == null ? null : entry.createdBy().email(),
            Types.VARCHAR)
        .update();
  }

  /**
   * The active entry for a number. {@code locking} reads the latest committed row and locks it:
   * after losing an insert race, MariaDB's repeatable-read snapshot would not show the winner.
   */
  Optional<DncEntry> findActive(UUID organisationId, String phoneNumber, boolean locking) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM do_not_call WHERE "
                + COMPANY_WIDE
                + " AND phone_number = :number AND removed_at IS NULL"
                + (locking ? " FOR UPDATE" : ""))
        .param("org", organisationId)
        .param("number", phoneNumber)
        .query(DncRepository::entry)
        .optional();
  }

  Optional<DncEntry> findActiveById(UUID organisationId, UUID id) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM do_not_call WHERE "
                + COMPANY_WIDE
                + " AND id = :id AND removed_at IS NULL")
        .param("org", organisationId)
        .param("id", id)
        .query(DncRepository::entry)
        .optional();
  }

  boolean isBlocked(UUID organisationId, String phoneNumber) {
    return jdbc.sql(
                "SELECT COUNT(*) FROM do_not_call WHERE "
                    + COMPANY_WIDE
                    + " AND phone_number = :number AND removed_at IS NULL")
            .param("org", organisationId)
            .param("number", phoneNumber)
            .query(Long.class)
            .single()
        > 0;
  }

  /** Which of these numbers already have an active entry. */
  Set<String> activeAmong(UUID organisationId, Collection<String> phoneNumbers) {
    Set<String> found = new HashSet<>();
    List<String> all = List.copyOf(phoneNumbers);
    // Chunks keep the IN list well inside every driver's parameter limit.
    for (int from = 0; from < all.size(); from += 500) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
      found.addAll(
          jdbc.sql(
                  "SELECT phone_number FROM do_not_call WHERE "
                      + COMPANY_WIDE
                      + " AND removed_at IS NULL AND phone_number IN (:numbers)")
              .param("org", organisationId)
              .param("numbers", chunk)
              .query(String.class)
              .list());
    }
    return found;
  }

  /**
   * Marks an active entry removed; false when it was no longer active. {@code actor} is null when
   * no person removed it (the number's owner texted START).
   */
  boolean remove(UUID organisationId, UUID id, Actor actor, String reason, Instant now) {
    return jdbc.sql(
                "UPDATE do_not_call SET removed_at = :now, removed_by_id = :actorId,"
                    + " removed_by_email = :actorEmail, removal_reason = :reason"
                    + " WHERE id = :id AND "
                    + COMPANY_WIDE
                    + " AND removed_at IS NULL")
            .param("now", Timestamp.from(now))
            .param("actorId", actor == null ? null : actor.userId())
            .param("actorEmail", actor == null ? null : actor.email(), Types.VARCHAR)
            .param("reason", reason, Types.VARCHAR)
            .param("id", id)
            .param("org", organisationId)
            .update()
        == 1;
  }

  List<DncEntry> page(
      UUID organisationId, String prefix, boolean includeRemoved, PageRequest request) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM do_not_call WHERE "
                + filter(includeRemoved)
                + " ORDER BY phone_number, created_at DESC, id LIMIT :limit OFFSET :offset")
        .param("org", organisationId)
        .param("prefix", prefix + "%")
        .param("limit", request.size())
        .param("offset", request.offset())
        .query(DncRepository::entry)
        .list();
  }

  long count(UUID organisationId, String prefix, boolean includeRemoved) {
    return jdbc.sql("SELECT COUNT(*) FROM do_not_call WHERE " + filter(includeRemoved))
        .param("org", organisationId)
        .param("prefix", prefix + "%")
        .query(Long.class)
        .single();
  }

  // The prefix holds only '+' and digits (checked by the service), so it needs no LIKE escaping.
  private static String filter(boolean includeRemoved) {
    return COMPANY_WIDE
        + " AND phone_number LIKE :prefix"
        + (includeRemoved ? "" : " AND removed_at IS NULL");
  }

  static DncEntry entry(ResultSet rs, int row) throws SQLException {
    return new DncEntry(
        UUID.fromString(rs.getString("id")),
        rs.getString("phone_number"),
        DncSource.fromWire(rs.getString("source"))
            .orElseThrow(() -> new IllegalStateException("Unknown DNC source in the database")),
        rs.getString("reason"),
        uuid(rs.getString("call_id")),
        rs.getTimestamp("created_at").toInstant(),
        actor(rs.getString("created_by_id"), rs.getString("created_by_email")),
        instant(rs.getTimestamp("removed_at")),
        actor(rs.getString("removed_by_id"), rs.getString("removed_by_email")),
        rs.getString("removal_reason"));
  }

  private static UUID uuid(String text) {
    return text == null ? null : UUID.fromString(text);
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  private static Actor actor(String id, String email) {
    return id == null ? null : new Actor(UUID.fromString(id), email);
  }
}
