package io.parley.shared;

import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The signed-in user a request acts for, read from the access token (subject = user id, claim
 * {@code email}).
 */
public record Actor(UUID userId, String email) {

  /** The actor of the current request; fails if the request is not authenticated with a JWT. */
  public static Actor current() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    if (authentication != null && authentication.getPrincipal() instanceof Jwt jwt) {
      return new Actor(UUID.fromString(jwt.getSubject()), jwt.getClaimAsString("email"));
    }
    throw new IllegalStateException("No signed-in user on this request");
  }
}
