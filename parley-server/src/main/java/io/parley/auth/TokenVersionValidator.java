package io.parley.auth;

import java.util.Optional;
import java.util.UUID;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Makes revocation immediate: an access token is only valid while its {@code ver} claim equals the
 * user's current token version and the account is enabled. Logout, a password or role change and
 * disabling bump the version, so outstanding tokens fail on their next request.
 */
final class TokenVersionValidator implements OAuth2TokenValidator<Jwt> {

  private final UserStore users;

  TokenVersionValidator(UserStore users) {
    this.users = users;
  }

  @Override
  public OAuth2TokenValidatorResult validate(Jwt jwt) {
    UUID userId;
    try {
      userId = UUID.fromString(String.valueOf(jwt.getSubject()));
    } catch (IllegalArgumentException e) {
      return invalid("The token's subject is not a user id.");
    }
    if (!(jwt.getClaims().get(TokenIssuer.VERSION_CLAIM) instanceof Number version)) {
      return invalid("The token carries no version.");
    }
    Optional<UserStore.TokenState> state = users.tokenState(userId);
    if (state.isEmpty()) {
      return invalid("The token's user does not exist.");
    }
    if (!state.get().enabled()) {
      return invalid("The account is disabled.");
    }
    if (state.get().version() != version.longValue()) {
      return invalid("The token has been revoked.");
    }
    return OAuth2TokenValidatorResult.success();
  }

  private static OAuth2TokenValidatorResult invalid(String description) {
    return OAuth2TokenValidatorResult.failure(
        new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null));
  }
}
