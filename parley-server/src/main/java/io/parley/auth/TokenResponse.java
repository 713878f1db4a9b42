package io.parley.auth;

import java.util.UUID;

/**
 * What sign-in, refresh and password change answer.
 *
 * @param accessToken the JWT for {@code Authorization: Bearer}
 * @param tokenType always {@code Bearer}
 * @param expiresIn seconds until the access token expires
 * @param refreshToken single-use token for {@code POST /api/auth/refresh}
 * @param refreshExpiresIn seconds until the refresh token expires
 * @param user who signed in
 */
record TokenResponse(
    String accessToken,
    String tokenType,
    long expiresIn,
    String refreshToken,
    long refreshExpiresIn,
    SignedInUser user) {

  record SignedInUser(UUID id, String email, Role role) {}
}
