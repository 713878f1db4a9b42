package io.parley.auth;

import io.parley.shared.Organisations;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Refresh tokens by hash; the opaque token itself is never stored. */
@Repository
class RefreshTokenStore {

  private final JdbcClient jdbc;

  RefreshTokenStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(StoredRefreshToken token) {
    jdbc.sql(
            "INSERT INTO refresh_token (id, organisation_id, user_id, family_id, token_hash,"
                + " issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .param(token.id())
        .param(Organisations.DEFAULT_ID)
        .param(token.userId())
        .param(token.familyId())
        .param(token.tokenHash())
        .param(Timestamp.from(token.issuedAt()))
        .param(Timestamp.from(token.expiresAt()))
        .update();
  }

  Optional<StoredRefreshToken> findByHash(String tokenHash) {
    return jdbc.sql(
            "SELECT id, user_id, family_id, token_hash, issued_at, expires_at, used_at, revoked_at"
                + " FROM refresh_token WHERE token_hash = ?")
        .param(tokenHash)
        .query(RefreshTokenStore::map)
        .optional();
  }

  /**
   * Marks the token used unless someone else already did: of two concurrent refreshes with the same
   * token exactly one wins, so rotation cannot fork a family.
   */
  boolean markUsed(UUID id, Instant now) {
    return jdbc.sql(
                "UPDATE refresh_token SET used_at = ? WHERE id = ? AND used_at IS NULL"
                    + " AND revoked_at IS NULL")
            .param(Timestamp.from(now))
            .param(id)
            .update()
        == 1;
  }

  void revokeFamily(UUID familyId, Instant now) {
    jdbc.sql("UPDATE refresh_token SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL")
        .param(Timestamp.from(now))
        .param(familyId)
        .update();
  }

  void revokeAllOf(UUID userId, Instant now) {
    jdbc.sql("UPDATE refresh_token SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL")
        .param(Timestamp.from(now))
        .param(userId)
        .update();
  }

  /** Forgets a user's tokens that can no longer be used, so the table does not grow forever. */
  void deleteExpired(UUID userId, Instant now) {
    jdbc.sql("DELETE FROM refresh_token WHERE user_id = ? AND expires_at < ?")
        .param(userId)
        .param(Timestamp.from(now))
        .update();
  }

  private static StoredRefreshToken map(ResultSet rs, int row) throws SQLException {
    return new StoredRefreshToken(
        UUID.fromString(rs.getString("id")),
        UUID.fromString(rs.getString("user_id")),
        UUID.fromString(rs.getString("family_id")),
        rs.getString("token_hash"),
        rs.getTimestamp("issued_at").toInstant(),
        rs.getTimestamp("expires_at").toInstant(),
        nullableInstant(rs, "used_at"),
        nullableInstant(rs, "revoked_at"));
  }

  private static Instant nullableInstant(ResultSet rs, String column) throws SQLException {
    Timestamp value = rs.getTimestamp(column);
    return value == null ? null : value.toInstant();
  }

  record StoredRefreshToken(
      UUID id,
      UUID userId,
      UUID familyId,
      String tokenHash,
      Instant issuedAt,
      Instant expiresAt,
      Instant usedAt,
      Instant revokedAt) {}
}
