package io.parley.auth;

import io.parley.auth.RefreshTokenStore.StoredRefreshToken;
import io.parley.shared.AuditEvent;
import io.parley.shared.ConflictException;
import io.parley.shared.InvalidInputException;
import io.parley.shared.NotFoundException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Registration, sign-in, token refresh with rotation, sign-out and password change.
 *
 * <p>Some outcomes must be kept although the request fails: a failed sign-in is audited, and a
 * reused refresh token revokes its family. Those paths write outside (or commit before) the
 * failure, so they use a {@link TransactionTemplate} rather than {@code @Transactional}.
 */
@Service
class AuthService {

  private final UserStore users;
  private final RefreshTokenStore refreshTokens;
  private final TokenIssuer tokens;
  private final PasswordEncoder passwords;
  private final PasswordPolicy policy;
  private final LoginRateLimiter limiter;
  private final AuthSettings settings;
  private final ApplicationEventPublisher events;
  private final TransactionTemplate transactions;
  private final String dummyHash;

  AuthService(
      UserStore users,
      RefreshTokenStore refreshTokens,
      TokenIssuer tokens,
      PasswordEncoder passwords,
      PasswordPolicy policy,
      LoginRateLimiter limiter,
      AuthSettings settings,
      ApplicationEventPublisher events,
      PlatformTransactionManager transactionManager) {
    this.users = users;
    this.refreshTokens = refreshTokens;
    this.tokens = tokens;
    this.passwords = passwords;
    this.policy = policy;
    this.limiter = limiter;
    this.settings = settings;
    this.events = events;
    this.transactions = new TransactionTemplate(transactionManager);
    // Unknown e-mails are checked against this hash so that they cost as much time as known ones
    // and the response time does not tell which accounts exist.
    this.dummyHash = passwords.encode("no account has this password " + UUID.randomUUID());
  }

  /**
   * Self-service sign-up, only with open registration, and always as VIEWER: the first
   * administrator comes from the setup code or the environment ({@link FirstAdmin}), never from
   * here.
   */
  @Transactional
  UserView register(AuthRequests.Register request) {
    if (!settings.openRegistration()) {
      throw AuthProblem.registrationClosed();
    }
    users.lockOrganisation();
    String email = request.email().trim();
    policy.require(request.password(), email, "password");
    if (users.findByEmail(email).isPresent()) {
      throw new ConflictException("An account with this e-mail already exists.");
    }
    Role role = Role.VIEWER;
    Instant now = tokens.now();
    UserAccount user =
        new UserAccount(
            UUID.randomUUID(),
            email,
            passwords.encode(request.password()),
            blankToNull(request.displayName()),
            role,
            true,
            0,
            now,
            now);
    users.insert(user);
    events.publishEvent(
        new AuditEvent(
            user.id(),
            user.email(),
            "user.registered",
            "user",
            user.id().toString(),
            Map.of("role", role.name())));
    return user.view();
  }

  /**
   * Signs in; refused with 429 while the account or the address is over its failure limit. A
   * disabled account gets the same answer as a wrong password, and counts as a failure like one, so
   * the answer never tells whether a guessed password was right; only the audit log says why.
   */
  TokenResponse login(AuthRequests.Login request, String clientAddress) {
    UserAccount user = checkPassword(request.email(), request.password(), clientAddress);
    return transactions.execute(
        status -> {
          UserAccount current = signedIn(user, request.password(), "api");
          refreshTokens.deleteExpired(current.id(), tokens.now());
          return tokens.issueNewFamily(current);
        });
  }

  /** A console sign-in: the same checks, limits and audit as {@link #login}, but no tokens. */
  UserAccount loginForSession(String email, String password, String clientAddress) {
    UserAccount user = checkPassword(email, password, clientAddress);
    return transactions.execute(status -> signedIn(user, password, "console"));
  }

  private UserAccount signedIn(UserAccount user, String password, String channel) {
    UserAccount current = rehashIfOutdated(user, password);
    events.publishEvent(
        new AuditEvent(
            current.id(),
            current.email(),
            "auth.login",
            "user",
            current.id().toString(),
            Map.of("channel", channel)));
    return current;
  }

  /**
   * The account whose password this is; 429 while the account or the address is over its failure
   * limit, 401 otherwise (failures counted and audited).
   */
  private UserAccount checkPassword(String rawEmail, String password, String clientAddress) {
    String email = rawEmail.trim();
    limiter.check(email, clientAddress);
    Optional<UserAccount> found = users.findByEmail(email);
    boolean passwordMatches =
        passwords.matches(password, found.map(UserAccount::passwordHash).orElse(dummyHash))
            && found.isPresent();
    if (!passwordMatches || !found.get().enabled()) {
      boolean locked = limiter.recordFailure(email, clientAddress);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put(
          "reason",
          found.isEmpty() ? "unknown_account" : passwordMatches ? "disabled" : "wrong_password");
      if (locked) {
        details.put("throttled", true);
      }
      // No transaction is open here, so the entry is committed although the login fails.
      events.publishEvent(
          new AuditEvent(
              null,
              email,
              "auth.login_failed",
              "user",
              found.map(u -> u.id().toString()).orElse(null),
              details));
      throw AuthProblem.invalidCredentials();
    }
    limiter.recordSuccess(email);
    return found.get();
  }

  /**
   * Exchanges a refresh token for a new pair. A token that was already used means it leaked (or the
   * client misbehaves): the whole family is revoked, and so are the user's access tokens.
   */
  TokenResponse refresh(String refreshToken) {
    RefreshOutcome outcome = transactions.execute(status -> rotate(refreshToken));
    return switch (outcome) {
      case RefreshOutcome.Rotated(TokenResponse response) -> response;
      case RefreshOutcome.Rejected(String why) -> throw AuthProblem.invalidRefreshToken(why);
    };
  }

  private RefreshOutcome rotate(String refreshToken) {
    Optional<StoredRefreshToken> found = refreshTokens.findByHash(TokenIssuer.hash(refreshToken));
    if (found.isEmpty()) {
      return new RefreshOutcome.Rejected("The refresh token is not valid.");
    }
    StoredRefreshToken token = found.get();
    Instant now = tokens.now();
    if (token.revokedAt() != null) {
      return new RefreshOutcome.Rejected("The refresh token has been revoked.");
    }
    if (token.usedAt() != null || !refreshTokens.markUsed(token.id(), now)) {
      refreshTokens.revokeFamily(token.familyId(), now);
      users.bumpTokenVersion(token.userId());
      events.publishEvent(
          new AuditEvent(
              null,
              null,
              "auth.refresh_token_reused",
              "user",
              token.userId().toString(),
              Map.of("familyId", token.familyId().toString())));
      return new RefreshOutcome.Rejected(
          "The refresh token was already used, so every session of that sign-in has been ended.");
    }
    if (!token.expiresAt().isAfter(now)) {
      return new RefreshOutcome.Rejected("The refresh token has expired.");
    }
    UserAccount user = users.findById(token.userId()).orElseThrow();
    if (!user.enabled()) {
      refreshTokens.revokeFamily(token.familyId(), now);
      return new RefreshOutcome.Rejected("This account is disabled.");
    }
    return new RefreshOutcome.Rotated(tokens.issue(user, token.familyId()));
  }

  /**
   * Ends the session: the presented refresh token's family is revoked and every access token of the
   * user stops working at once.
   */
  @Transactional
  void logout(UUID userId, String refreshToken) {
    UserAccount user = existing(userId);
    Instant now = tokens.now();
    if (refreshToken != null && !refreshToken.isBlank()) {
      refreshTokens
          .findByHash(TokenIssuer.hash(refreshToken))
          .filter(token -> token.userId().equals(userId))
          .ifPresent(token -> refreshTokens.revokeFamily(token.familyId(), now));
    }
    users.bumpTokenVersion(userId);
    events.publishEvent(
        new AuditEvent(
            user.id(), user.email(), "auth.logout", "user", user.id().toString(), Map.of()));
  }

  /**
   * Changes the signed-in user's password. Every session ends (refresh tokens and access tokens);
   * the caller gets a fresh pair so it stays signed in.
   */
  @Transactional
  TokenResponse changePassword(
      UUID userId, AuthRequests.ChangePassword request, String clientAddress) {
    updatePassword(userId, request, clientAddress);
    return tokens.issueNewFamily(existing(userId));
  }

  /**
   * The same change for a console session: every token and other session ends; the caller's session
   * carries on with the returned token version.
   */
  @Transactional
  int changePasswordForSession(
      UUID userId, AuthRequests.ChangePassword request, String clientAddress) {
    updatePassword(userId, request, clientAddress);
    return existing(userId).tokenVersion();
  }

  /** Console sign-out: audited like the API's, and the account's access tokens stay valid. */
  void loggedOutOfSession(UUID userId) {
    users
        .findById(userId)
        .ifPresent(
            user ->
                events.publishEvent(
                    new AuditEvent(
                        user.id(),
                        user.email(),
                        "auth.logout",
                        "user",
                        user.id().toString(),
                        Map.of("channel", "console"))));
  }

  private void updatePassword(
      UUID userId, AuthRequests.ChangePassword request, String clientAddress) {
    UserAccount user = existing(userId);
    limiter.check(user.email(), clientAddress);
    Map<String, String> errors = new LinkedHashMap<>();
    if (!passwords.matches(request.currentPassword(), user.passwordHash())) {
      limiter.recordFailure(user.email(), clientAddress);
      errors.put("currentPassword", "is not correct");
    }
    policy
        .problem(request.newPassword(), user.email())
        .or(
            () ->
                request.newPassword().equals(request.currentPassword())
                    ? Optional.of("must differ from the current password")
                    : Optional.empty())
        .ifPresent(problem -> errors.put("newPassword", problem));
    if (!errors.isEmpty()) {
      throw new InvalidInputException(errors);
    }
    Instant now = tokens.now();
    users.update(
        new UserAccount(
            user.id(),
            user.email(),
            passwords.encode(request.newPassword()),
            user.displayName(),
            user.role(),
            user.enabled(),
            user.tokenVersion(),
            user.createdAt(),
            now));
    users.bumpTokenVersion(user.id());
    refreshTokens.revokeAllOf(user.id(), now);
    events.publishEvent(
        new AuditEvent(
            user.id(),
            user.email(),
            "auth.password_changed",
            "user",
            user.id().toString(),
            Map.of()));
  }

  UserView me(UUID userId) {
    return existing(userId).view();
  }

  private UserAccount existing(UUID userId) {
    return users
        .findById(userId)
        .orElseThrow(() -> new NotFoundException("No account with id " + userId));
  }

  /** Hashes made with older parameters are replaced while the password is at hand. */
  private UserAccount rehashIfOutdated(UserAccount user, String password) {
    if (!passwords.upgradeEncoding(user.passwordHash())) {
      return user;
    }
    UserAccount upgraded =
        new UserAccount(
            user.id(),
            user.email(),
            passwords.encode(password),
            user.displayName(),
            user.role(),
            user.enabled(),
            user.tokenVersion(),
            user.createdAt(),
            tokens.now());
    users.update(upgraded);
    return upgraded;
  }

  static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  private sealed interface RefreshOutcome {
    record Rotated(TokenResponse response) implements RefreshOutcome {}

    record Rejected(String why) implements RefreshOutcome {}
  }
}
