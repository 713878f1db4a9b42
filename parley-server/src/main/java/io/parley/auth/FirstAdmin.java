package io.parley.auth;

import io.parley.shared.AuditEvent;
import io.parley.shared.ConflictException;
import io.parley.shared.InvalidInputException;
import io.parley.shared.SecretHash;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How the first administrator comes to be: from {@code PARLEY_BOOTSTRAP_ADMIN_EMAIL} / {@code
 * _PASSWORD} at start, or by whoever reads the server log and enters the one-time setup code it
 * printed (in the console at {@code /setup}, or {@code POST /api/auth/setup}).
 *
 * <p>Every decision runs under the organisation's row lock and checks that no ADMIN exists, so with
 * several nodes (each printing its own code) one administrator is ever set up: the database
 * serialises the attempts, and the first one deletes every code.
 */
@Service
public class FirstAdmin {

  private static final Logger log = LoggerFactory.getLogger(FirstAdmin.class);

  /** RFC 4648 base32: no 0, 1 or 8 to mistake for O, I or B. */
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

  private static final int CODE_LENGTH = 12;

  private final UserStore users;
  private final SetupCodeStore codes;
  private final PasswordEncoder passwords;
  private final PasswordPolicy policy;
  private final LoginRateLimiter limiter;
  private final ApplicationEventPublisher events;
  private final Clock clock;
  private final TransactionTemplate transactions;
  private final SecureRandom random = new SecureRandom();

  FirstAdmin(
      UserStore users,
      SetupCodeStore codes,
      PasswordEncoder passwords,
      PasswordPolicy policy,
      LoginRateLimiter limiter,
      ApplicationEventPublisher events,
      Clock clock,
      PlatformTransactionManager transactionManager) {
    this.users = users;
    this.codes = codes;
    this.passwords = passwords;
    this.policy = policy;
    this.limiter = limiter;
    this.events = events;
    this.clock = clock;
    this.transactions = new TransactionTemplate(transactionManager);
  }

  /** A first-admin request: the code the log printed, and the new account. */
  public record Setup(String setupCode, String email, String password, String displayName) {}

  /** Whether the setup page still has anything to do. */
  public boolean needed() {
    return users.countAdmins() == 0;
  }

  /**
   * Creates the administrator named by the environment when there is none yet (idempotent: a
   * restart with the same variables changes nothing). A bad pair stops the start with the variable
   * named; the password itself is never part of the message.
   */
  void bootstrap(BootstrapAdmin admin) {
    String problem = admin.problem();
    if (problem != null) {
      throw new IllegalStateException(problem);
    }
    String email = admin.email().trim();
    policy
        .problem(admin.password(), email)
        .ifPresent(
            why -> {
              throw new IllegalStateException("PARLEY_BOOTSTRAP_ADMIN_PASSWORD " + why);
            });
    transactions.executeWithoutResult(
        status -> {
          users.lockOrganisation();
          if (users.countAdmins() > 0 || users.findByEmail(email).isPresent()) {
            return;
          }
          UserAccount created = insertAdmin(email, admin.password(), null);
          codes.deleteAll();
          audit(created, "user.bootstrap_admin");
          log.info("Created the first administrator {} from PARLEY_BOOTSTRAP_ADMIN_EMAIL", email);
        });
  }

  /**
   * When no ADMIN exists, makes a new one-time code, keeps its hash and returns it (the caller logs
   * it: it is the one secret Parley ever logs). Empty once an administrator exists.
   */
  Optional<String> issueCodeIfNeeded() {
    return transactions.execute(
        status -> {
          users.lockOrganisation();
          if (users.countAdmins() > 0) {
            return Optional.empty();
          }
          String code = newCode();
          codes.insert(SecretHash.sha256Hex(normalise(code)), clock.instant());
          return Optional.of(code);
        });
  }

  /**
   * Creates the first ADMIN with the setup code. Refused with 409 once an administrator exists; a
   * wrong code counts as a failed sign-in for the address (and the e-mail), so the code cannot be
   * guessed faster than a password.
   */
  public UUID setUp(Setup request, String clientAddress) {
    String email = request.email() == null ? "" : request.email().trim();
    if (normalise(request.setupCode()).isEmpty()) {
      throw new InvalidInputException("setupCode", "must not be empty");
    }
    if (!ConsoleUsers.looksLikeEmail(email)) {
      throw new InvalidInputException("email", "must be an e-mail address");
    }
    limiter.check(email, clientAddress);
    if (!needed()) {
      throw alreadyDone();
    }
    String hash = SecretHash.sha256Hex(normalise(request.setupCode()));
    if (!codes.exists(hash)) {
      limiter.recordFailure(email, clientAddress);
      events.publishEvent(new AuditEvent(null, email, "auth.setup_failed", "user", null, Map.of()));
      throw new InvalidInputException(
          "setupCode", "is not the setup code printed in the server log");
    }
    policy.require(request.password(), email, "password");
    return transactions.execute(
        status -> {
          users.lockOrganisation();
          // Another node (or request) may have finished set-up since the check above.
          if (users.countAdmins() > 0 || !codes.exists(hash)) {
            throw alreadyDone();
          }
          if (users.findByEmail(email).isPresent()) {
            throw new ConflictException("An account with this e-mail already exists.");
          }
          UserAccount created = insertAdmin(email, request.password(), request.displayName());
          codes.deleteAll();
          audit(created, "user.setup_admin");
          return created.id();
        });
  }

  private UserAccount insertAdmin(String email, String password, String displayName) {
    Instant now = clock.instant();
    UserAccount user =
        new UserAccount(
            UUID.randomUUID(),
            email,
            passwords.encode(password),
            AuthService.blankToNull(displayName),
            Role.ADMIN,
            true,
            0,
            now,
            now);
    users.insert(user);
    return user;
  }

  private void audit(UserAccount user, String action) {
    events.publishEvent(
        new AuditEvent(
            user.id(),
            user.email(),
            action,
            "user",
            user.id().toString(),
            Map.of("role", Role.ADMIN.name())));
  }

  private static ConflictException alreadyDone() {
    return new ConflictException(
        "The first administrator has already been set up; sign in, or ask an administrator for an"
            + " account.");
  }

  /** Twelve base32 characters (60 bits) in groups of four, e.g. {@code K7QM-3XRA-P2WD}. */
  private String newCode() {
    StringBuilder code = new StringBuilder();
    for (int i = 0; i < CODE_LENGTH; i++) {
      if (i > 0 && i % 4 == 0) {
        code.append('-');
      }
      code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return code.toString();
  }

  /** Case, dashes and spaces do not matter when the code is typed back. */
  static String normalise(String code) {
    return code == null ? "" : code.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
  }
}
