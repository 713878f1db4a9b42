package io.parley.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Both vendors must walk through the same schema versions, or one of them is missing a change. */
class MigrationFoldersTest {

  private static final Path ROOT = Path.of("src/main/resources/db/migration");

  @Test
  void postgresqlAndMariadbHaveIdenticalVersionLists() throws IOException {
    List<String> postgres = versions(ROOT.resolve("postgresql"));
    List<String> mariadb = versions(ROOT.resolve("mariadb"));
    assertThat(postgres).isNotEmpty();
    assertThat(mariadb).isEqualTo(postgres);
  }

  private static List<String> versions(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".sql"))
          .sorted()
          .toList();
    }
  }
}
