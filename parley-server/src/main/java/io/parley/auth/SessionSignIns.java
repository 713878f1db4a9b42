package io.parley.auth;

import java.io.Serializable;
import java.security.Principal;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Password sign-in for the web console, whose sign-in is a server-side session instead of tokens.
 * The same account checks as the API: the sign-in limits, the audit log, the password policy. The
 * session remembers the token version it was opened under, so that whatever ends the account's
 * tokens (a sign-out through the API, a password or role change, disabling) ends it too.
 */
@Service
public class SessionSignIns {

  private final AuthService auth;
  private final SignIns signIns;

  SessionSignIns(AuthService auth, SignIns signIns) {
    this.auth = auth;
    this.signIns = signIns;
  }

  /**
   * Who signed in, as the console's session keeps it (serialised into the session store). Its name
   * is the user id: Spring Session indexes sessions by it (a column of 100 characters).
   */
  public record SignedIn(UUID userId, String email, String displayName, Role role, int tokenVersion)
      implements Principal, Serializable {

    @Override
    public String getName() {
      return userId.toString();
    }
  }

  /**
   * Checks the password. Throws a Spring {@code ErrorResponseException} with 401 (wrong e-mail or
   * password, disabled) or 429 (too many attempts, with the wait in its detail).
   */
  public SignedIn signIn(String email, String password, String clientAddress) {
    UserAccount user = auth.loginForSession(email, password, clientAddress);
    return new SignedIn(
        user.id(), user.email(), user.displayName(), user.role(), user.tokenVersion());
  }

  /** Whether the account still exists, is enabled and has not had its tokens ended since. */
  public boolean stillValid(SignedIn user) {
    return signIns.stillValid(new SignIns.SignIn(user.userId(), user.tokenVersion()));
  }

  /**
   * Changes the password; throws {@code InvalidInputException} naming {@code currentPassword} or
   * {@code newPassword}. Every other sign-in of the account ends; the returned one replaces the
   * caller's.
   */
  public SignedIn changePassword(
      SignedIn user, String currentPassword, String newPassword, String clientAddress) {
    int version =
        auth.changePasswordForSession(
            user.userId(),
            new AuthRequests.ChangePassword(
                currentPassword == null ? "" : currentPassword,
                newPassword == null ? "" : newPassword),
            clientAddress);
    return new SignedIn(user.userId(), user.email(), user.displayName(), user.role(), version);
  }

  public void signedOut(SignedIn user) {
    auth.loggedOutOfSession(user.userId());
  }
}
