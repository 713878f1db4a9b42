package io.parley.database;

import java.util.Locale;

/**
 * The databases Parley runs on. Each has its own folder of Flyway migrations with the same version
 * list; MySQL shares MariaDB's.
 */
public enum DatabaseVendor {
  POSTGRESQL("postgresql"),
  MARIADB("mariadb"),
  MYSQL("mariadb");

  private final String migrationFolder;

  DatabaseVendor(String migrationFolder) {
    this.migrationFolder = migrationFolder;
  }

  public String migrationLocation() {
    return "classpath:db/migration/" + migrationFolder;
  }

  /** Recognises the vendor from a JDBC URL; fails with a clear message for anything else. */
  static DatabaseVendor fromJdbcUrl(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    if (lower.startsWith("jdbc:mariadb:")) {
      return MARIADB;
    }
    if (lower.startsWith("jdbc:mysql:")) {
      return MYSQL;
    }
    throw new IllegalStateException(
        "PARLEY_DB_URL must be a jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql: URL");
  }
}
