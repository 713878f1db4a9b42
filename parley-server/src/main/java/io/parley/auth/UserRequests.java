package io.parley.auth;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Request bodies of {@code /api/users}. */
final class UserRequests {

  private UserRequests() {}

  record Create(
      @NotBlank @Email @Size(max = 254) String email,
      @NotNull String password,
      @NotNull Role role,
      @Size(max = 100) String displayName) {}

  /** A partial update: absent (null) fields stay as they are; an empty display name clears it. */
  record Update(Role role, Boolean enabled, @Size(max = 100) String displayName) {}
}
