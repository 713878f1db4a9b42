package io.parley.auth;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Request bodies of {@code /api/auth}; passwords are checked by {@link PasswordPolicy}. */
final class AuthRequests {

  private AuthRequests() {}

  record Register(
      @NotBlank @Email @Size(max = 254) String email,
      @NotNull String password,
      @Size(max = 100) String displayName) {}

  record Setup(
      @NotBlank @Size(max = 40) String setupCode,
      @NotBlank @Email @Size(max = 254) String email,
      @NotNull String password,
      @Size(max = 100) String displayName) {}

  record Login(
      @NotBlank @Email @Size(max = 254) String email,
      @NotBlank @Size(max = PasswordPolicy.MAX_LENGTH) String password) {}

  record Refresh(@NotBlank @Size(max = 200) String refreshToken) {}

  /** Optional body of logout: the refresh token whose family should end too. */
  record Logout(@Size(max = 200) String refreshToken) {}

  record ChangePassword(
      @NotBlank @Size(max = PasswordPolicy.MAX_LENGTH) String currentPassword,
      @NotNull String newPassword) {}
}
