package io.parley.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Brute-force protection for sign-in: failed attempts are counted in a sliding window per account
 * and per client address; at the limit further attempts get 429 until the oldest failure leaves the
 * window.
 *
 * @param maxFailuresPerAccount {@code PARLEY_LOGIN_MAX_FAILURES_PER_ACCOUNT} (default 5)
 * @param maxFailuresPerAddress {@code PARLEY_LOGIN_MAX_FAILURES_PER_ADDRESS} (default 20)
 * @param window {@code PARLEY_LOGIN_WINDOW} (default 15m)
 * @param maxTrackedKeys {@code PARLEY_LOGIN_MAX_TRACKED_KEYS}: accounts and addresses remembered
 *     per counter; the least recently seen are forgotten first, so memory stays bounded (default
 *     10000)
 */
@ConfigurationProperties("parley.login")
record LoginLimits(
    Integer maxFailuresPerAccount,
    Integer maxFailuresPerAddress,
    Duration window,
    Integer maxTrackedKeys) {

  LoginLimits {
    maxFailuresPerAccount = atLeastOne(maxFailuresPerAccount, 5, "max-failures-per-account");
    maxFailuresPerAddress = atLeastOne(maxFailuresPerAddress, 20, "max-failures-per-address");
    maxTrackedKeys = atLeastOne(maxTrackedKeys, 10_000, "max-tracked-keys");
    window = window == null ? Duration.ofMinutes(15) : window;
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("parley.login.window must be positive, was " + window);
    }
  }

  private static int atLeastOne(Integer value, int fallback, String name) {
    if (value == null) {
      return fallback;
    }
    if (value < 1) {
      throw new IllegalArgumentException("parley.login." + name + " must be 1 or more");
    }
    return value;
  }
}
