package io.parley.support;

import io.parley.shared.SecretHash;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A setup code a test can type in: the server prints its own codes only in the log, at start (and
 * the tests' database is emptied between tests), so a test puts one where every node looks for
 * them, as a node does at start: its hash in {@code setup_code}. What the server does with it
 * ({@code /setup}, {@code POST /api/auth/setup}) is then the real thing.
 */
public final class SetupCodes {

  private SetupCodes() {}

  /** Stores a fresh code's hash and returns the code, formatted as the log prints codes. */
  public static String plant(DataSource dataSource) {
    String raw = UUID.randomUUID().toString().replace("-", "").substring(0, 12).toUpperCase();
    JdbcClient.create(dataSource)
        .sql("INSERT INTO setup_code (code_hash, created_at) VALUES (?, ?)")
        .param(SecretHash.sha256Hex(raw))
        .param(Timestamp.from(Instant.now()))
        .update();
    return raw.substring(0, 4) + "-" + raw.substring(4, 8) + "-" + raw.substring(8);
  }
}
