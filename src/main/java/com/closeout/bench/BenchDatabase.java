package com.closeout.bench;

import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.propagation.jdbc.StoreSessions;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
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

  /**
   * A pool whose connections work in {@code schema} with the server's default session settings, as
   * a team would run the peer's engine; the caller closes it.
   */
  public HikariDataSource pool(String name, String schema, int size) {
    HikariConfig config = config(name, size);
    config.setConnectionInitSql("SET search_path TO " + schema);
    return new HikariDataSource(config);
  }

  /**
   * A pool whose connections work in {@code schema} with the session settings of Closeout's store
   * ({@link StoreSessions}), as {@code serve} runs them; the caller closes it.
   */
  public HikariDataSource storePool(String name, String schema, int size) {
    HikariConfig config = config(name, size);
    config.setConnectionInitSql(StoreSessions.initSql("SET search_path TO " + schema));
    return new HikariDataSource(config);
  }

  /**
   * Transactions committed in this database so far (pg_stat_database.xact_commit). Backends report
   * their counts when they end or go idle for a while, so close the measured pool first; this reads
   * until the figure stops moving.
   */
  public long committedTransactions() {
    return settled(
        () ->
            readStatistics(
                "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()",
                null,
                rs -> {
                  rs.next();
                  return rs.getLong(1);
                }));
  }

  /**
   * Bytes of WAL the server has written so far (its insert position): exact at any moment, with no
   * statistics to wait for, and everyone's on a shared server, as {@link #committedTransactions()}.
   */
  public long walWritten() {
    return readStatistics(
        "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint",
        null,
        rs -> {
          rs.next();
          return rs.getLong(1);
        });
  }

  /**
   * Rows inserted, updated and deleted so far in each table of {@code schema}, as PostgreSQL
   * counted them (pg_stat_user_tables), keyed {@code INSERT table}, {@code UPDATE table} and {@code
   * DELETE table}: the write set however the statements were shaped (a multi-row INSERT, a batch,
   * one UPDATE of many rows). Close the measured pool first, as for {@link
   * #committedTransactions()}.
   */
  public Map<String, Long> rowsWritten(IsolatedSchema schema) {
    // A backend reports when it ends (or after a while idle): the schema's own pool, whose
    // connections migrated it, lets its idle connections go first.
    if (schema.dataSource() instanceof HikariDataSource pool
        && pool.getHikariPoolMXBean() != null) {
      pool.getHikariPoolMXBean().softEvictConnections();
    }
    return settled(
        () ->
            readStatistics(
                "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables"
                    + " WHERE schemaname = ? ORDER BY relname",
                schema.name(),
                rs -> {
                  Map<String, Long> rows = new TreeMap<>();
                  while (rs.next()) {
                    if (rs.getLong(2) > 0) {
                      rows.put("INSERT " + rs.getString(1), rs.getLong(2));
                    }
                    if (rs.getLong(3) > 0) {
                      rows.put("UPDATE " + rs.getString(1), rs.getLong(3));
                    }
                    if (rs.getLong(4) > 0) {
                      rows.put("DELETE " + rs.getString(1), rs.getLong(4));
                    }
                  }
                  return Map.copyOf(rows);
                }));
  }

  /**
   * Vacuum passes of each table of {@code schema} finished so far, by autovacuum or by hand
   * (pg_stat_user_tables), tables never vacuumed left out: a vacuum reports when it ends, so a pass
   * still running when the phase ends counts in the next reading.
   */
  public Map<String, Long> vacuumsFinished(IsolatedSchema schema) {
    return readStatistics(
        "SELECT relname, vacuum_count + autovacuum_count FROM pg_stat_user_tables"
            + " WHERE schemaname = ? AND vacuum_count + autovacuum_count > 0",
        schema.name(),
        rs -> {
          Map<String, Long> passes = new TreeMap<>();
          while (rs.next()) {
            passes.put(rs.getString(1), rs.getLong(2));
          }
          return Map.copyOf(passes);
        });
  }

  /**
   * Checkpoints the server ran so far, timed and requested (a timed one an idle server skips counts
   * too; under a phase's writes none is skipped). PostgreSQL 17 moved the counters from {@code
   * pg_stat_bgwriter} to {@code pg_stat_checkpointer}.
   */
  public long checkpointsDone() {
    int version =
        readStatistics("SHOW server_version_num", null, rs -> rs.next() ? rs.getInt(1) : 0);
    String sql =
        version >= 170_000
            ? "SELECT num_timed + num_requested FROM pg_stat_checkpointer"
            : "SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter";
    return readStatistics(
        sql,
        null,
        rs -> {
          rs.next();
          return rs.getLong(1);
        });
  }

  /** Reads until two reads a quarter second apart agree (at most five seconds). */
  private static <T> T settled(java.util.function.Supplier<T> read) {
    T previous = read.get();
    for (int attempt = 0; attempt < 20; attempt++) {
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return previous;
      }
      T now = read.get();
      if (now.equals(previous)) {
        return now;
      }
      previous = now;
    }
    return previous;
  }

  private interface StatisticsReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T> T readStatistics(String sql, String parameter, StatisticsReader<T> reader) {
    // A connection of its own each time, so this reader's cached statistics snapshot is fresh.
    Properties properties = new Properties();
    if (username != null) {
      properties.setProperty("user", username);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    try (Connection connection = DriverManager.getConnection(jdbcUrl, properties);
        PreparedStatement statement = connection.prepareStatement(sql)) {
      if (parameter != null) {
        statement.setString(1, parameter);
      }
      try (ResultSet rs = statement.executeQuery()) {
        return reader.read(rs);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read PostgreSQL's statistics", e);
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
