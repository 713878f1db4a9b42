package io.parley.console;

import io.parley.auth.SessionSignIns.SignedIn;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Component;

/** Rewrites the current session's sign-in, e.g. with the token version after a password change. */
@Component
public class SignedInSessions {

  private final HttpSessionSecurityContextRepository repository =
      new HttpSessionSecurityContextRepository();

  /** Puts {@code user} in the session under a new session id (the old id stops working). */
  public void replace(SignedIn user, HttpServletRequest request, HttpServletResponse response) {
    request.getSession();
    request.changeSessionId();
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(PasswordAuthentication.authenticated(user));
    SecurityContextHolder.setContext(context);
    repository.saveContext(context, request, response);
  }
}
