package io.parley.database;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code PARLEY_DB_URL}, {@code PARLEY_DB_USER} and {@code PARLEY_DB_PASSWORD}: an external
 * database. When the URL is blank Parley runs an embedded PostgreSQL.
 */
@ConfigurationProperties("parley.db")
public record DatabaseProperties(String url, String user, String password, Integer poolSize) {

  public DatabaseProperties {
    poolSize = poolSize == null ? 20 : poolSize;
  }

  boolean external() {
    return url != null && !url.isBlank();
  }
}
