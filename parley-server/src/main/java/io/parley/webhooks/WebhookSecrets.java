package io.parley.webhooks;

import io.parley.auth.SigningKeys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * Endpoint signing secrets: made from 32 random bytes ({@code whsec_} and their base64url), shown
 * once, and kept sealed with AES-256-GCM under a key derived from {@code PARLEY_JWT_SECRET} ({@link
 * SigningKeys}, purpose {@code webhook-secrets}), bound to their endpoint's id. Parley must sign
 * with a secret, so it cannot keep only a hash; sealing it means a copy of the database alone signs
 * nothing. Changing {@code PARLEY_JWT_SECRET} leaves the sealed secrets unreadable: their
 * deliveries fail until an administrator rotates each endpoint's secret.
 */
@Component
class WebhookSecrets {

  static final String PREFIX = "whsec_";
  private static final String SEALED_VERSION = "v1:";
  private static final int NONCE_BYTES = 12;

  private final SecureRandom random = new SecureRandom();
  private final SecretKeySpec sealingKey;

  WebhookSecrets(SigningKeys keys) {
    this.sealingKey = new SecretKeySpec(keys.sign("webhook-secrets", "sealing key v1"), "AES");
  }

  /** A new secret, as the administrator is shown it and the receiver keys its HMAC with. */
  String generate() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  String seal(UUID endpointId, String secret) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, sealingKey, new GCMParameterSpec(128, nonce));
      cipher.updateAAD(endpointId.toString().getBytes(StandardCharsets.US_ASCII));
      byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[NONCE_BYTES + sealed.length];
      System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
      System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
      return SEALED_VERSION + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    }
  }

  /**
   * The secret sealed for this endpoint.
   *
   * @throws IllegalStateException when it cannot be opened (the JWT secret changed)
   */
  String open(UUID endpointId, String sealed) {
    if (sealed == null || !sealed.startsWith(SEALED_VERSION)) {
      throw new IllegalStateException("the endpoint's secret is not sealed by this version");
    }
    try {
      byte[] in = Base64.getDecoder().decode(sealed.substring(SEALED_VERSION.length()));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, sealingKey, new GCMParameterSpec(128, in, 0, NONCE_BYTES));
      cipher.updateAAD(endpointId.toString().getBytes(StandardCharsets.US_ASCII));
      return new String(
          cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "the endpoint's secret cannot be opened (was PARLEY_JWT_SECRET changed? rotate the"
              + " secret)");
    }
  }

  /**
   * The {@code Parley-Signature} header value: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 keyed
   * with the secret's UTF-8 bytes over "<t>.<body>">}.
   */
  static String signature(String secret, long unixSeconds, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal((unixSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
      return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
