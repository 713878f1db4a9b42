package io.parley.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Empties every business table (keeping the default organisation and Flyway's history) so each test
 * starts from a first-run database, on PostgreSQL and MariaDB alike.
 */
public final class DatabaseCleaner {

  private DatabaseCleaner() {}

  /**
   * Empties the tables. A write still finishing from the previous test (a call's record being
   * closed) can deadlock with the truncation; the database then aborts one side, and this retries.
   */
  public static void clean(DataSource dataSource) {
    for (int attempt = 1; ; attempt++) {
      try {
        cleanOnce(dataSource);
        return;
      } catch (SQLException e) {
        boolean deadlock = "40P01".equals(e.getSQLState()) || "40001".equals(e.getSQLState());
        if (!deadlock || attempt == 3) {
          throw new IllegalStateException("Could not clean the test database", e);
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while cleaning the test database", e);
        }
      }
    }
  }

  private static void cleanOnce(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      boolean postgres =
          connection.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          statement.executeQuery(
              postgres
                  ? "SELECT table_name FROM information_schema.tables WHERE table_schema ="
                      + " current_schema() AND table_type = 'BASE TABLE'"
                  : "SELECT table_name FROM information_schema.tables WHERE table_schema ="
                      + " database() AND table_type = 'BASE TABLE'")) {
        while (rs.next()) {
          // As named: on MariaDB under Linux table names are case-sensitive (SPRING_SESSION).
          String table = rs.getString(1);
          String lower = table.toLowerCase();
          if (!lower.equals("organisation") && !lower.startsWith("flyway")) {
            tables.add(table);
          }
        }
      }
      if (tables.isEmpty()) {
        return;
      }
      if (postgres) {
        statement.execute("TRUNCATE " + String.join(", ", tables) + " CASCADE");
      } else {
        statement.execute("SET FOREIGN_KEY_CHECKS = 0");
        for (String table : tables) {
          statement.execute("DELETE FROM " + table);
        }
        statement.execute("SET FOREIGN_KEY_CHECKS = 1");
      }
    }
  }
}
