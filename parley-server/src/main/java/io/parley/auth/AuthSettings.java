package io.parley.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Account and token settings.
 *
 * @param accessTokenTtl {@code PARLEY_ACCESS_TOKEN_TTL}: lifetime of an access JWT (default 15m)
 * @param refreshTokenTtl {@code PARLEY_REFRESH_TOKEN_TTL}: lifetime of a refresh token; each
 *     rotation starts a new one (default 14d)
 * @param openRegistration {@code PARLEY_OPEN_REGISTRATION}: anyone may register, as a VIEWER
 *     (default false: administrators create accounts)
 * @param trustProxy {@code PARLEY_TRUST_PROXY}: honour {@code X-Forwarded-For} / {@code Forwarded}
 *     for the client address; only behind a proxy that sets them (default false)
 */
@ConfigurationProperties("parley")
record AuthSettings(
    Duration accessTokenTtl,
    Duration refreshTokenTtl,
    boolean openRegistration,
    boolean trustProxy) {

  AuthSettings {
    accessTokenTtl = positive(accessTokenTtl, Duration.ofMinutes(15), "PARLEY_ACCESS_TOKEN_TTL");
    refreshTokenTtl = positive(refreshTokenTtl, Duration.ofDays(14), "PARLEY_REFRESH_TOKEN_TTL");
  }

  private static Duration positive(Duration value, Duration fallback, String name) {
    if (value == null) {
      return fallback;
    }
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
    return value;
  }
}
