package io.parley.console;

import io.parley.auth.SessionSignIns;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a console session as soon as the account's tokens would be refused: disabled, its role or
 * password changed, or signed out everywhere through the API. One primary-key lookup per page, the
 * check every bearer request gets; the request then goes on anonymously (to the sign-in page).
 */
class StillSignedInFilter extends OncePerRequestFilter {

  private final SessionSignIns signIns;

  StillSignedInFilter(SessionSignIns signIns) {
    this.signIns = signIns;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return ConsoleSecurityConfiguration.isAsset(request);
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    ConsoleUser.current()
        .filter(user -> !signIns.stillValid(user))
        .ifPresent(
            user -> {
              HttpSession session = request.getSession(false);
              if (session != null) {
                session.invalidate();
              }
              SecurityContextHolder.clearContext();
            });
    chain.doFilter(request, response);
  }
}
