package io.parley.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded database keeps its data in the data directory from one run to the next. */
@Tag("embedded")
class EmbeddedPostgresPersistenceTest {

  @TempDir Path dataDir;

  @Test
  void dataSurvivesARestart() throws Exception {
    try (var first = EmbeddedPostgresServer.startUnshared(dataDir);
        Connection connection = first.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE kept (word TEXT)");
      statement.execute("INSERT INTO kept VALUES ('नमस्ते')");
    }
    try (var second = EmbeddedPostgresServer.startUnshared(dataDir);
        Connection connection = second.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT word FROM kept")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("नमस्ते");
    }
  }
}
