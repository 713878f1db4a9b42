package io.parley.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * Chooses the database: the external one named by {@code PARLEY_DB_URL}, else the embedded
 * PostgreSQL. The {@code prod} profile refuses the embedded one, because a production deployment
 * must keep its data in a managed database.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

  private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);

  @Bean
  ActiveDatabase activeDatabase(
      DatabaseProperties properties, DataDirectory dataDirectory, Environment environment) {
    if (properties.external()) {
      DatabaseVendor vendor = DatabaseVendor.fromJdbcUrl(properties.url());
      return new ActiveDatabase(vendor, properties.url(), false);
    }
    if (environment.acceptsProfiles(Profiles.of("prod"))) {
      throw new IllegalStateException(
          "The prod profile refuses the embedded database: set PARLEY_DB_URL (with PARLEY_DB_USER"
              + " and PARLEY_DB_PASSWORD) to a PostgreSQL 15+ or MariaDB 10.11 database.");
    }
    var postgres = EmbeddedPostgresServer.startOrReuse(dataDirectory.resolve("postgres"));
    String url = postgres.getJdbcUrl("postgres", "postgres");
    return new ActiveDatabase(DatabaseVendor.POSTGRESQL, url, true);
  }

  @Bean
  DataSource dataSource(ActiveDatabase database, DatabaseProperties properties) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("parley");
    config.setJdbcUrl(database.jdbcUrl());
    if (database.embedded()) {
      config.setUsername("postgres");
    } else {
      config.setUsername(properties.user());
      config.setPassword(properties.password());
    }
    config.setMaximumPoolSize(properties.poolSize());
    if (database.vendor() == DatabaseVendor.POSTGRESQL) {
      // Send string parameters untyped so PostgreSQL casts them to the column's type: JSON text
      // binds to jsonb columns with the same SQL that MariaDB runs.
      config.addDataSourceProperty("stringtype", "unspecified");
    } else {
      // Instants are stored as DATETIME(6) in UTC; the session must agree, whatever the server's
      // own zone is.
      config.setConnectionInitSql("SET time_zone = '+00:00'");
    }
    log.info(
        "Database: {} ({})",
        database.vendor().name().toLowerCase(java.util.Locale.ROOT),
        database.embedded() ? "embedded" : "external");
    return new HikariDataSource(config);
  }

  @Bean
  FlywayConfigurationCustomizer vendorMigrations(ActiveDatabase database) {
    return flyway -> flyway.locations(database.vendor().migrationLocation());
  }
}
