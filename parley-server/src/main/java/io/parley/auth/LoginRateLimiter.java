package io.parley.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * Slows down password guessing: too many failed sign-ins for one account, or from one client
 * address, and further attempts are refused for a while. Kept in memory per node: a restart or a
 * second node starts counting afresh, which still caps guessing at a few attempts per minute.
 */
@Component
class LoginRateLimiter {

  private final FailureWindow accounts;
  private final FailureWindow addresses;

  LoginRateLimiter(LoginLimits limits, Clock clock) {
    this.accounts =
        new FailureWindow(
            limits.maxFailuresPerAccount(), limits.window(), limits.maxTrackedKeys(), clock);
    this.addresses =
        new FailureWindow(
            limits.maxFailuresPerAddress(), limits.window(), limits.maxTrackedKeys(), clock);
  }

  /** Refuses the attempt with 429 when the account or the address is over its limit. */
  void check(String email, String clientAddress) {
    Optional<Duration> wait =
        Stream.of(accounts.blockedFor(key(email)), addresses.blockedFor(clientAddress))
            .flatMap(Optional::stream)
            .max(Duration::compareTo);
    if (wait.isPresent()) {
      throw AuthProblem.tooManyAttempts(wait.get());
    }
  }

  /** Counts a failed attempt; true when the account or the address is now locked for a while. */
  boolean recordFailure(String email, String clientAddress) {
    boolean accountLocked = accounts.recordFailure(key(email));
    boolean addressLocked = addresses.recordFailure(clientAddress);
    return accountLocked || addressLocked;
  }

  /** A correct password clears the account's failures (not the address's: others may share it). */
  void recordSuccess(String email) {
    accounts.reset(key(email));
  }

  private static String key(String email) {
    return email.trim().toLowerCase(Locale.ROOT);
  }
}
