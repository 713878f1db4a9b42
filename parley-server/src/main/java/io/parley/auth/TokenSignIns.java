package io.parley.auth;

import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/** {@link SignIns} from the access token's claims and the account's token state. */
@Component
class TokenSignIns implements SignIns {

  private final UserStore users;

  TokenSignIns(UserStore users) {
    this.users = users;
  }

  @Override
  public SignIn current() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication != null
        && authentication.getPrincipal() instanceof Jwt jwt
        && jwt.getClaims().get(TokenIssuer.VERSION_CLAIM) instanceof Number version) {
      // TokenVersionValidator has already checked the version against the account.
      return new SignIn(UUID.fromString(jwt.getSubject()), Math.toIntExact(version.longValue()));
    }
    throw new IllegalStateException("No signed-in user on this request");
  }

  @Override
  public boolean stillValid(SignIn signIn) {
    return users
        .tokenState(signIn.userId())
        .filter(state -> state.enabled() && state.version() == signIn.tokenVersion())
        .isPresent();
  }
}
