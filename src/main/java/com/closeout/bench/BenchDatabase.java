package com.closeout.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * The PostgreSQL database a benchmark runs on: where it is, a small pool for set-up and statistics,
 * and pools of its own for each measured run, with their search_path on one schema.
 */
public final class BenchDatabase implements AutoCloseable {
  private final String jdbcUrl;
  private final String username;
  private final String password;
  private final HikariDataSource base;

  public BenchDatabase(String jdbcUrl, String username, String password) {
    this.jdbcUrl = jdbcUrl;
    this.username = username;
    this.password = password;
    HikariConfig config = config("closeout-bench-base", 2);
    this.base = new HikariDataSource(config);
  }

  /** The database a DataSource connects to, as its driver reports it (no password: trust). */
  public static BenchDatabase of(DataSource dataSource) {
    try (Connection connection = dataSource.getConnection()) {
      DatabaseMetaData metadata = connection.getMetaData();
      return new BenchDatabase(metadata.getURL(), metadata.getUserName(), null);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot connect to the benchmark database", e);
    }
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public String username() {
    return username;
  }

  public String password() {
    return password;
  }

  /** For set-up (schemas) and statistics; not for measured work. */
  public DataSource base() {
    return base;
  }

  /** A pool whose connections work in {@code schema}; the caller closes it. */
  public HikariDataSource pool(String name, String schema, int size) {
    HikariConfig config = config(name, size);
    config.setConnectionInitSql("SET search_path TO " + schema);
    return new HikariDataSource(config);
  }

  /**
   * Transactions committed in this database so far (pg_stat_database.xact_commit). Backends report
   * their counts when they end or go idle for a while, so close the measured pool first; this reads
   * until the figure stops moving.
   */
  public long committedTransactions() {
    long previous = -1;
    for (int attempt = 0; attempt < 20; attempt++) {
      long now = readCommitted();
      if (now == previous) {
        return now;
      }
      previous = now;
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return now;
      }
    }
    return previous;
  }

  private long readCommitted() {
    // A connection of its own each time, so this reader's cached statistics snapshot is fresh.
    Properties properties = new Properties();
    if (username != null) {
      properties.setProperty("user", username);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    try (Connection connection = DriverManager.getConnection(jdbcUrl, properties);
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read pg_stat_database", e);
    }
  }

  /** Runs one statement on the base pool, e.g. CREATE or DROP SCHEMA. */
  public void execute(String sql) {
    try (Connection connection = base.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("benchmark statement failed: " + sql, e);
    }
  }

  private HikariConfig config(String name, int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(username);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    return config;
  }

  @Override
  public void close() {
    base.close();
  }
}
