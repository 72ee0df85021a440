package com.closeout.propagation.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.common.BaseDataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/** Flyway migrations of Closeout's store, and throw-away schemas for isolated runs. */
public final class StoreSchemas {
  private static final String MIGRATIONS = "classpath:db/migration";
  private static final int ISOLATED_POOL_SIZE = 5;

  private StoreSchemas() {}

  /** Applies the migrations to the DataSource's default schema. */
  public static void migrate(DataSource dataSource) {
    Flyway.configure().dataSource(dataSource).locations(MIGRATIONS).load().migrate();
  }

  /**
   * Creates and migrates a fresh schema named {@code prefix} plus a unique suffix. Its DataSource
   * is a small pool of its own whose connections have their search_path set to the schema, so the
   * setting can never leak into the base's pooled connections.
   */
  public static IsolatedSchema isolated(DataSource base, String prefix) {
    String name = schemaName(prefix);
    execute(base, "CREATE SCHEMA " + name);
    HikariDataSource pool = null;
    try {
      pool = pool(settingsOf(base), name);
      Flyway.configure()
          .dataSource(pool)
          .locations(MIGRATIONS)
          .schemas(name)
          .defaultSchema(name)
          .load()
          .migrate();
      return new Isolated(name, pool, base);
    } catch (RuntimeException e) {
      if (pool != null) {
        pool.close();
      }
      execute(base, "DROP SCHEMA IF EXISTS " + name + " CASCADE");
      throw e;
    }
  }

  /** Lower-case letters, digits and underscores only, so the name needs no quoting. */
  static String schemaName(String prefix) {
    String cleaned = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    if (cleaned.isEmpty() || !Character.isLetter(cleaned.charAt(0))) {
      cleaned = "s_" + cleaned;
    }
    if (cleaned.length() > 40) {
      cleaned = cleaned.substring(0, 40);
    }
    byte[] suffix = new byte[6];
    ThreadLocalRandom.current().nextBytes(suffix);
    return cleaned + "_" + HexFormat.of().formatHex(suffix);
  }

  private static HikariDataSource pool(ConnectionSettings settings, String schema) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("closeout-" + schema);
    config.setJdbcUrl(settings.url());
    config.setUsername(settings.username());
    config.setPassword(settings.password());
    config.setDataSourceProperties(settings.properties());
    config.setConnectionInitSql(StoreSessions.initSql("SET search_path TO " + schema));
    config.setMaximumPoolSize(ISOLATED_POOL_SIZE);
    config.setMinimumIdle(0);
    return new HikariDataSource(config);
  }

  private record ConnectionSettings(
      String url, String username, String password, Properties properties) {}

  /** Where and as whom the base connects, read from the pool or driver DataSource it is. */
  private static ConnectionSettings settingsOf(DataSource base) {
    if (base instanceof DelegatingDataSource delegating
        && delegating.getTargetDataSource() != null) {
      return settingsOf(delegating.getTargetDataSource());
    }
    if (base instanceof HikariDataSource hikari) {
      if (hikari.getJdbcUrl() != null) {
        Properties properties = new Properties();
        properties.putAll(hikari.getDataSourceProperties());
        return new ConnectionSettings(
            hikari.getJdbcUrl(), hikari.getUsername(), hikari.getPassword(), properties);
      }
      if (hikari.getDataSource() != null) {
        return settingsOf(hikari.getDataSource());
      }
    }
    if (base instanceof BaseDataSource postgres) {
      return new ConnectionSettings(
          postgres.getUrl(), postgres.getUser(), postgres.getPassword(), new Properties());
    }
    // Unknown DataSource: what the driver reports (no password; enough for trust auth).
    try (Connection connection = base.getConnection()) {
      DatabaseMetaData metadata = connection.getMetaData();
      return new ConnectionSettings(
          metadata.getURL(), metadata.getUserName(), null, new Properties());
    } catch (SQLException e) {
      throw new IllegalStateException("cannot connect to the base database", e);
    }
  }

  private static void execute(DataSource dataSource, String sql) {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("store schema statement failed: " + sql, e);
    }
  }

  private static final class Isolated implements IsolatedSchema {
    private final String name;
    private final HikariDataSource pool;
    private final DataSource base;
    private final AtomicBoolean closed = new AtomicBoolean();

    Isolated(String name, HikariDataSource pool, DataSource base) {
      this.name = name;
      this.pool = pool;
      this.base = base;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public DataSource dataSource() {
      return pool;
    }

    @Override
    public void close() {
      if (closed.getAndSet(true)) {
        return;
      }
      pool.close();
      execute(base, "DROP SCHEMA IF EXISTS " + name + " CASCADE");
    }

    @Override
    public String toString() {
      return "IsolatedSchema[" + name + "]";
    }
  }
}
