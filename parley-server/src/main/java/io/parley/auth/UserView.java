package io.parley.auth;

import java.time.Instant;
import java.util.UUID;

/** An account as the API shows it: never the password hash. */
record UserView(
    UUID id,
    String email,
    String displayName,
    Role role,
    boolean enabled,
    Instant createdAt,
    Instant updatedAt) {}
