package io.parley.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

class DatabaseSelectionTest {

  @TempDir Path dataDir;

  private final DatabaseConfiguration configuration = new DatabaseConfiguration();

  @Test
  void prodProfileRefusesTheEmbeddedDatabase() {
    MockEnvironment prod = new MockEnvironment();
    prod.setActiveProfiles("prod");
    assertThatThrownBy(
            () ->
                configuration.activeDatabase(
                    new DatabaseProperties(null, null, null, null),
                    new DataDirectory(dataDir),
                    prod))
        .hasMessageContaining("prod profile refuses the embedded database")
        .hasMessageContaining("PARLEY_DB_URL");
  }

  @Test
  void aJarWithoutThisPlatformsBinariesSaysWhatToDo() {
    // What a jar built elsewhere (or with -Pprod) finds: no binaries for the system asked for.
    assertThatThrownBy(
            () ->
                EmbeddedPostgresServer.startUnshared(
                    dataDir,
                    (system, architecture) ->
                        DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Plan9", architecture)))
        .hasMessageContaining("carries no embedded PostgreSQL")
        .hasMessageContaining("PARLEY_DB_URL");
  }

  @Test
  void anExternalUrlNamesTheVendorAndItsMigrations() {
    ActiveDatabase mariadb =
        configuration.activeDatabase(
            new DatabaseProperties("jdbc:mariadb://db:3306/parley", "u", "p", null),
            new DataDirectory(dataDir),
            new MockEnvironment());
    assertThat(mariadb.vendor()).isEqualTo(DatabaseVendor.MARIADB);
    assertThat(mariadb.embedded()).isFalse();
    assertThat(mariadb.vendor().migrationLocation()).isEqualTo("classpath:db/migration/mariadb");
    assertThat(DatabaseVendor.fromJdbcUrl("jdbc:mysql://db/parley").migrationLocation())
        .isEqualTo("classpath:db/migration/mariadb");
    assertThat(DatabaseVendor.fromJdbcUrl("jdbc:postgresql://db/parley").migrationLocation())
        .isEqualTo("classpath:db/migration/postgresql");
  }

  @Test
  void anUnsupportedUrlIsRefusedWithAClearMessage() {
    assertThatThrownBy(() -> DatabaseVendor.fromJdbcUrl("jdbc:h2:mem:x"))
        .hasMessageContaining("jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql:");
  }

  @Test
  void theDataDirectoryDefaultsToDataUnderTheWorkingDirectory() {
    assertThat(new DataDirectory(null).dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
  }
}
