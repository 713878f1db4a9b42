package io.parley.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * HMAC-SHA256 signatures for credentials other than access tokens (a signed download link), each
 * purpose under its own key derived from the JWT secret: {@code HMAC(jwtSecret, "parley signing
 * key: " + purpose)}. Deriving rather than reusing means a signature made for one purpose can never
 * pass as an access token or as another purpose's signature. Because the JWT secret is what every
 * node of a cluster already shares ({@code PARLEY_JWT_SECRET}), a link signed on one node verifies
 * on every other. The keys never leave this class.
 */
@Component
public class SigningKeys {

  private final SecretKey root;
  private final Map<String, SecretKey> derived = new ConcurrentHashMap<>();

  SigningKeys(JwtSecret secret) {
    this.root = secret.key();
  }

  /** The signature of {@code message} under the key of {@code purpose} (32 bytes). */
  public byte[] sign(String purpose, String message) {
    return hmac(key(purpose), message.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether {@code signature} is that of {@code message} for {@code purpose}; constant time. */
  public boolean verify(String purpose, String message, byte[] signature) {
    return signature != null && MessageDigest.isEqual(sign(purpose, message), signature);
  }

  private SecretKey key(String purpose) {
    if (purpose == null || purpose.isBlank()) {
      throw new IllegalArgumentException("A signing purpose is required");
    }
    return derived.computeIfAbsent(
        purpose,
        p ->
            new SecretKeySpec(
                hmac(root, ("parley signing key: " + p).getBytes(StandardCharsets.UTF_8)),
                "HmacSHA256"));
  }

  private static byte[] hmac(SecretKey key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
