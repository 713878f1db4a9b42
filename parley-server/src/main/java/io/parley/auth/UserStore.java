package io.parley.auth;

import io.parley.shared.Organisations;
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

/** Accounts of the (single) organisation, read and written with plain SQL on both vendors. */
@Repository
class UserStore {

  private static final String COLUMNS =
      "id, email, password_hash, display_name, role, enabled, token_version, created_at,"
          + " updated_at";

  private final JdbcClient jdbc;

  UserStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Locks the organisation row until the transaction ends, serialising the decisions that depend on
   * all accounts at once (only one first ADMIN is set up; the last ADMIN stays).
   */
  void lockOrganisation() {
    jdbc.sql("SELECT id FROM organisation WHERE id = ? FOR UPDATE")
        .param(Organisations.DEFAULT_ID)
        .query(String.class)
        .single();
  }

  long count() {
    return jdbc.sql("SELECT COUNT(*) FROM app_user WHERE organisation_id = ?")
        .param(Organisations.DEFAULT_ID)
        .query(Long.class)
        .single();
  }

  /** Administrators, enabled or not: while there is none, the setup code may create the first. */
  long countAdmins() {
    return jdbc.sql("SELECT COUNT(*) FROM app_user WHERE organisation_id = ? AND role = ?")
        .param(Organisations.DEFAULT_ID)
        .param(Role.ADMIN.name())
        .query(Long.class)
        .single();
  }

  long countEnabledAdmins() {
    return jdbc.sql(
            "SELECT COUNT(*) FROM app_user WHERE organisation_id = ? AND role = ? AND enabled = ?")
        .param(Organisations.DEFAULT_ID)
        .param(Role.ADMIN.name())
        .param(true)
        .query(Long.class)
        .single();
  }

  Optional<UserAccount> findById(UUID id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM app_user WHERE organisation_id = ? AND id = ?")
        .param(Organisations.DEFAULT_ID)
        .param(id)
        .query(UserStore::map)
        .optional();
  }

  Optional<UserAccount> findByEmail(String email) {
    return jdbc.sql(
            "SELECT " + COLUMNS + " FROM app_user WHERE organisation_id = ? AND email_lower = ?")
        .param(Organisations.DEFAULT_ID)
        .param(lower(email))
        .query(UserStore::map)
        .optional();
  }

  /** The two facts every authenticated request checks; one primary-key lookup. */
  Optional<TokenState> tokenState(UUID id) {
    return jdbc.sql("SELECT token_version, enabled FROM app_user WHERE id = ?")
        .param(id)
        .query((rs, n) -> new TokenState(rs.getInt(1), rs.getBoolean(2)))
        .optional();
  }

  List<UserAccount> list(int limit, long offset) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM app_user WHERE organisation_id = ? ORDER BY email_lower, id"
                + " LIMIT ? OFFSET ?")
        .param(Organisations.DEFAULT_ID)
        .param(limit)
        .param(offset)
        .query(UserStore::map)
        .list();
  }

  void insert(UserAccount user) {
    jdbc.sql(
            "INSERT INTO app_user (id, organisation_id, email, email_lower, password_hash,"
                + " display_name, role, enabled, token_version, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .param(user.id())
        .param(Organisations.DEFAULT_ID)
        .param(user.email())
        .param(lower(user.email()))
        .param(user.passwordHash())
        .param(user.displayName())
        .param(user.role().name())
        .param(user.enabled())
        .param(user.tokenVersion())
        .param(Timestamp.from(user.createdAt()))
        .param(Timestamp.from(user.updatedAt()))
        .update();
  }

  /** Writes role, enabled, display name and password hash; the token version is bumped apart. */
  void update(UserAccount user) {
    jdbc.sql(
            "UPDATE app_user SET password_hash = ?, display_name = ?, role = ?, enabled = ?,"
                + " updated_at = ? WHERE organisation_id = ? AND id = ?")
        .param(user.passwordHash())
        .param(user.displayName())
        .param(user.role().name())
        .param(user.enabled())
        .param(Timestamp.from(user.updatedAt()))
        .param(Organisations.DEFAULT_ID)
        .param(user.id())
        .update();
  }

  /** Makes every access token issued so far for this user invalid. */
  void bumpTokenVersion(UUID id) {
    jdbc.sql("UPDATE app_user SET token_version = token_version + 1 WHERE id = ?")
        .param(id)
        .update();
  }

  static String lower(String email) {
    return email.toLowerCase(Locale.ROOT);
  }

  private static UserAccount map(ResultSet rs, int row) throws SQLException {
    return new UserAccount(
        UUID.fromString(rs.getString("id")),
        rs.getString("email"),
        rs.getString("password_hash"),
        rs.getString("display_name"),
        Role.valueOf(rs.getString("role")),
        rs.getBoolean("enabled"),
        rs.getInt("token_version"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    return rs.getTimestamp(column).toInstant();
  }

  record TokenState(int version, boolean enabled) {}
}
