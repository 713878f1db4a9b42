package io.parley.database;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One embedded PostgreSQL per data directory and JVM. Several application contexts in one JVM (as
 * in a test run) share it instead of fighting over the same files; it stops when the JVM exits.
 */
final class EmbeddedPostgresServer {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  private static final Map<Path, EmbeddedPostgres> RUNNING = new HashMap<>();

  private EmbeddedPostgresServer() {}

  static synchronized EmbeddedPostgres startOrReuse(Path dataDir) {
    return RUNNING.computeIfAbsent(
        dataDir,
        dir -> {
          EmbeddedPostgres postgres = startUnshared(dir);
          Runtime.getRuntime()
              .addShutdownHook(Thread.ofPlatform().unstarted(() -> closeQuietly(postgres)));
          return postgres;
        });
  }

  /** Starts a server the caller owns and must close. */
  static EmbeddedPostgres startUnshared(Path dataDir) {
    return startUnshared(dataDir, DefaultPostgresBinaryResolver.INSTANCE);
  }

  /**
   * Starts a server from the binaries {@code binaries} finds. A jar carries the binaries of the
   * platform it was built on only, and a production build ({@code -Pprod}) none; without them the
   * start fails with a message that says what to do.
   */
  static EmbeddedPostgres startUnshared(Path dataDir, PgBinaryResolver binaries) {
    try {
      Files.createDirectories(dataDir);
      long started = System.nanoTime();
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              // Keep the data between runs: initdb runs only when the directory is new.
              .setCleanDataDirectory(false)
              .setPort(freePort())
              .setServerConfig("timezone", "UTC")
              .setServerConfig("max_connections", "100")
              .setPgBinaryResolver(binaries)
              .start();
      log.info(
          "Embedded PostgreSQL started on port {} with data in {} ({} ms)",
          postgres.getPort(),
          dataDir,
          (System.nanoTime() - started) / 1_000_000);
      return postgres;
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + dataDir, e);
    } catch (IllegalStateException e) {
      if (!MISSING_BINARIES.equals(e.getMessage())) {
        throw e;
      }
      throw new IllegalStateException(
          "This build of Parley carries no embedded PostgreSQL for "
              + System.getProperty("os.name")
              + " on "
              + System.getProperty("os.arch")
              + " (a default build carries its build platform's only, a production build -Pprod"
              + " none): set PARLEY_DB_URL (with PARLEY_DB_USER and PARLEY_DB_PASSWORD) to a"
              + " PostgreSQL 15+ or MariaDB 10.11 database, or build Parley on this machine.",
          e);
    }
  }

  /** What zonky's resolver says when no binaries for this platform are on the class path. */
  private static final String MISSING_BINARIES = "Missing embedded postgres binaries";

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void closeQuietly(EmbeddedPostgres postgres) {
    try {
      postgres.close();
    } catch (IOException e) {
      log.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
    }
  }
}
