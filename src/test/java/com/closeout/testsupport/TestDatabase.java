package com.closeout.testsupport;

import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.propagation.jdbc.StoreSchemas;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The PostgreSQL of the tests: {@code CLOSEOUT_TEST_DATABASE_URL} when set (CI: the local server),
 * otherwise one embedded server per JVM.
 */
public final class TestDatabase {
  private static final String URL_VARIABLE = "CLOSEOUT_TEST_DATABASE_URL";
  private static DataSource server;

  private TestDatabase() {}

  public static synchronized DataSource server() {
    if (server == null) {
      String url = System.getenv(URL_VARIABLE);
      server = url == null || url.isBlank() ? embedded() : pooled(url);
    }
    return server;
  }

  /**
   * Migrates {@code schema} (created already) on the tests' server up to migration {@code target},
   * or to the latest when null: a store as an older release left it, for migration tests.
   */
  public static void migrateSchema(String schema, String target) {
    var configuration =
        org.flywaydb.core.Flyway.configure()
            .dataSource(server())
            .locations("classpath:db/migration")
            .schemas(schema)
            .defaultSchema(schema);
    if (target != null) {
      configuration.target(target);
    }
    configuration.load().migrate();
  }

  /** A migrated schema of its own; close it to drop it. */
  public static IsolatedSchema freshSchema(String prefix) {
    return StoreSchemas.isolated(server(), prefix);
  }

  private static DataSource pooled(String url) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("closeout-tests");
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(0);
    return new HikariDataSource(config);
  }

  private static DataSource embedded() {
    try {
      // A temporary, cleaned data folder; the library stops the server when the JVM exits.
      return EmbeddedPostgres.builder()
          .setPGStartupWait(Duration.ofSeconds(60))
          .start()
          .getPostgresDatabase();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL for tests", e);
    }
  }
}
