package io.parley.shared;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How a random secret handed to a client (a refresh token, a stream token, a ticket) is kept: its
 * SHA-256 in hex, so a copy of the database redeems nothing. Such secrets carry 192 bits or more of
 * randomness, so no salt or slow hash is needed (passwords are another matter: auth hashes those).
 */
public final class SecretHash {

  private SecretHash() {}

  /** SHA-256 of the secret's UTF-8 bytes, lower-case hex. */
  public static String sha256Hex(String secret) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
