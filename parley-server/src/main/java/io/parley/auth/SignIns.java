package io.parley.auth;

import java.util.UUID;

/**
 * The sign-in behind a request, for credentials derived from it that must die with it: a ticket
 * ({@code io.parley.tickets}) is issued against the caller's access token and refused once that
 * token would be refused (the account disabled, or its tokens revoked by logout, a password or role
 * change).
 */
public interface SignIns {

  /** A user and the token version their access token carried. */
  record SignIn(UUID userId, int tokenVersion) {}

  /**
   * The sign-in of the current request, read from its access token; fails when the request is not
   * authenticated with one.
   */
  SignIn current();

  /**
   * Whether the sign-in still stands: the account exists, is enabled and its token version is
   * unchanged. One primary-key lookup, the same check every bearer request gets.
   */
  boolean stillValid(SignIn signIn);
}
