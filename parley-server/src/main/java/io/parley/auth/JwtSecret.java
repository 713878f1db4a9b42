package io.parley.auth;

import io.parley.database.DataDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * The HMAC key that signs access tokens: {@code PARLEY_JWT_SECRET}, or (outside the prod profile) a
 * random key generated once and kept in the data directory, so tokens survive restarts.
 */
@Component
class JwtSecret {

  private static final Logger log = LoggerFactory.getLogger(JwtSecret.class);
  private static final int MIN_BYTES = 32;

  private final SecretKey key;

  JwtSecret(
      @Value("${parley.jwt.secret:}") String configured,
      DataDirectory dataDirectory,
      Environment environment) {
    byte[] bytes;
    if (!configured.isBlank()) {
      bytes = configured.getBytes(StandardCharsets.UTF_8);
      if (bytes.length < MIN_BYTES) {
        throw new IllegalStateException(
            "PARLEY_JWT_SECRET must be at least " + MIN_BYTES + " bytes long");
      }
    } else if (environment.acceptsProfiles(Profiles.of("prod"))) {
      throw new IllegalStateException("The prod profile needs PARLEY_JWT_SECRET to be set");
    } else {
      bytes = generatedSecret(dataDirectory.resolve("jwt-secret"));
    }
    this.key = new SecretKeySpec(bytes, "HmacSHA256");
  }

  SecretKey key() {
    return key;
  }

  private static byte[] generatedSecret(Path file) {
    try {
      if (Files.exists(file)) {
        return Base64.getDecoder().decode(Files.readString(file).trim());
      }
      byte[] random = new byte[48];
      new SecureRandom().nextBytes(random);
      Files.createDirectories(file.getParent());
      Files.writeString(file, Base64.getEncoder().encodeToString(random));
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // Windows: the file inherits the data directory's ACL.
      }
      log.warn(
          "\n*** PARLEY_JWT_SECRET is not set: generated a signing secret and stored it in {}."
              + "\n*** Anyone who can read that file can mint tokens. Set PARLEY_JWT_SECRET in"
              + " production. ***",
          file);
      return random;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read or create the JWT secret " + file, e);
    }
  }
}
