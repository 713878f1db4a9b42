package io.parley.sim;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The standalone jar's admin API: its port and the key a request must present as {@code
 * Authorization: Bearer <key>}. Without a configured key each start draws a random one and prints
 * it, so an admin API left on a shared host is never open with a well-known key.
 */
public record AdminConfig(int port, String key) {
  private static final SecureRandom RANDOM = new SecureRandom();

  public AdminConfig {
    if (key == null || key.isBlank()) {
      byte[] bytes = new byte[16];
      RANDOM.nextBytes(bytes);
      key = "sim-admin-" + HexFormat.of().formatHex(bytes);
    }
  }

  public static AdminConfig defaults() {
    return new AdminConfig(0, null);
  }
}
