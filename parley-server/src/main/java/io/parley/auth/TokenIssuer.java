package io.parley.auth;

import io.parley.auth.RefreshTokenStore.StoredRefreshToken;
import io.parley.shared.SecretHash;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Component;

/**
 * Mints the token pair a client holds: a short-lived signed access JWT and an opaque refresh token
 * (256 random bits) of which only the SHA-256 is stored.
 */
@Component
class TokenIssuer {

  /** Claim with the user's token version when the token was issued. */
  static final String VERSION_CLAIM = "ver";

  private final JwtEncoder encoder;
  private final RefreshTokenStore refreshTokens;
  private final AuthSettings settings;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  TokenIssuer(
      JwtEncoder encoder, RefreshTokenStore refreshTokens, AuthSettings settings, Clock clock) {
    this.encoder = encoder;
    this.refreshTokens = refreshTokens;
    this.settings = settings;
    this.clock = clock;
  }

  /** A new pair in a new refresh-token family (a fresh sign-in). */
  TokenResponse issueNewFamily(UserAccount user) {
    return issue(user, UUID.randomUUID());
  }

  /** A new pair continuing an existing family (a rotation). */
  TokenResponse issue(UserAccount user, UUID familyId) {
    Instant now = now();
    String accessToken = accessToken(user, now);
    String refreshToken = randomToken();
    refreshTokens.insert(
        new StoredRefreshToken(
            UUID.randomUUID(),
            user.id(),
            familyId,
            hash(refreshToken),
            now,
            now.plus(settings.refreshTokenTtl()),
            null,
            null));
    return new TokenResponse(
        accessToken,
        "Bearer",
        settings.accessTokenTtl().toSeconds(),
        refreshToken,
        settings.refreshTokenTtl().toSeconds(),
        new TokenResponse.SignedInUser(user.id(), user.email(), user.role()));
  }

  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  static String hash(String refreshToken) {
    return SecretHash.sha256Hex(refreshToken);
  }

  private String accessToken(UserAccount user, Instant now) {
    JwtClaimsSet claims =
        JwtClaimsSet.builder()
            .subject(user.id().toString())
            .claim("email", user.email())
            .claim("roles", List.of(user.role().authority()))
            .claim(VERSION_CLAIM, user.tokenVersion())
            .issuedAt(now)
            .expiresAt(now.plus(settings.accessTokenTtl()))
            .id(UUID.randomUUID().toString())
            .build();
    JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).build();
    return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
  }

  private String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
