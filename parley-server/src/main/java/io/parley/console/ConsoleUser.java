package io.parley.console;

import io.parley.auth.SessionSignIns.SignedIn;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The console's signed-in user of the current request. */
public final class ConsoleUser {

  private ConsoleUser() {}

  public static Optional<SignedIn> current() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    return authentication != null && authentication.getPrincipal() instanceof SignedIn user
        ? Optional.of(user)
        : Optional.empty();
  }

  /** For pages behind the sign-in, where the security chain guarantees one. */
  public static SignedIn required() {
    return current().orElseThrow(() -> new IllegalStateException("No console sign-in"));
  }
}
