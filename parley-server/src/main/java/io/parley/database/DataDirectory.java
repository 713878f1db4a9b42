package io.parley.database;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code PARLEY_DATA_DIR} (default {@code ./data}): the embedded database's files and the generated
 * secrets that must survive restarts.
 */
@ConfigurationProperties("parley")
public record DataDirectory(Path dataDir) {

  public DataDirectory {
    dataDir = (dataDir == null ? Path.of("data") : dataDir).toAbsolutePath().normalize();
  }

  public Path resolve(String child) {
    return dataDir.resolve(child);
  }
}
