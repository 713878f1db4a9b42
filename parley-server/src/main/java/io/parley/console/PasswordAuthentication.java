package io.parley.console;

import io.parley.auth.SessionSignIns;
import io.parley.auth.SessionSignIns.SignedIn;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.web.ErrorResponseException;

/**
 * The console's form sign-in, checked by {@link SessionSignIns}: the API's limits, audit and
 * messages. Its refusals become Spring Security exceptions carrying the message the sign-in page
 * shows.
 */
class PasswordAuthentication implements AuthenticationProvider {

  private final SessionSignIns signIns;

  PasswordAuthentication(SessionSignIns signIns) {
    this.signIns = signIns;
  }

  @Override
  public Authentication authenticate(Authentication attempt) {
    String email = String.valueOf(attempt.getPrincipal());
    String password = String.valueOf(attempt.getCredentials());
    String address =
        attempt.getDetails() instanceof WebAuthenticationDetails details
            ? details.getRemoteAddress()
            : "unknown";
    if (email.isBlank() || password.isEmpty()) {
      throw new BadCredentialsException("Enter your e-mail address and password.");
    }
    try {
      return authenticated(signIns.signIn(email, password, address));
    } catch (ErrorResponseException refused) {
      String detail = refused.getBody().getDetail();
      if (refused.getStatusCode().value() == HttpStatus.TOO_MANY_REQUESTS.value()) {
        throw new LockedException(detail);
      }
      throw new BadCredentialsException(detail);
    }
  }

  static Authentication authenticated(SignedIn user) {
    return UsernamePasswordAuthenticationToken.authenticated(
        user, null, List.of(new SimpleGrantedAuthority(user.role().authority())));
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
