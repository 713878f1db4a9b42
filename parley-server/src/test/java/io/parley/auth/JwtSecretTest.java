package io.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.database.DataDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

class JwtSecretTest {

  @TempDir Path dataDir;

  @Test
  void generatesOneSecretIntoTheDataDirectoryAndKeepsItAcrossRestarts() throws Exception {
    JwtSecret first = new JwtSecret("", new DataDirectory(dataDir), new MockEnvironment());
    JwtSecret second = new JwtSecret("", new DataDirectory(dataDir), new MockEnvironment());

    assertThat(Files.exists(dataDir.resolve("jwt-secret"))).isTrue();
    assertThat(second.key().getEncoded()).isEqualTo(first.key().getEncoded());
    assertThat(first.key().getEncoded()).hasSizeGreaterThanOrEqualTo(32);
  }

  @Test
  void usesTheConfiguredSecretAndWritesNothing() {
    String secret = "a-configured-secret-that-is-long-enough-0123456789";
    JwtSecret jwt = new JwtSecret(secret, new DataDirectory(dataDir), new MockEnvironment());

    assertThat(new String(jwt.key().getEncoded())).isEqualTo(secret);
    assertThat(Files.exists(dataDir.resolve("jwt-secret"))).isFalse();
  }

  @Test
  void refusesAShortSecret() {
    assertThatThrownBy(
            () -> new JwtSecret("too-short", new DataDirectory(dataDir), new MockEnvironment()))
        .hasMessageContaining("PARLEY_JWT_SECRET must be at least 32 bytes");
  }

  @Test
  void prodProfileRequiresAConfiguredSecret() {
    MockEnvironment prod = new MockEnvironment();
    prod.setActiveProfiles("prod");
    assertThatThrownBy(() -> new JwtSecret("", new DataDirectory(dataDir), prod))
        .hasMessageContaining("PARLEY_JWT_SECRET");
  }
}
