package io.parley.auth;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code app_user}; the hash never leaves the auth package. */
record UserAccount(
    UUID id,
    String email,
    String passwordHash,
    String displayName,
    Role role,
    boolean enabled,
    int tokenVersion,
    Instant createdAt,
    Instant updatedAt) {

  UserView view() {
    return new UserView(id, email, displayName, role, enabled, createdAt, updatedAt);
  }
}
