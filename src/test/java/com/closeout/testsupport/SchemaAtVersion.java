package com.closeout.testsupport;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A schema of its own on the tests' server, migrated only up to an older version, for tests of a
 * later migration over rows the older version wrote. One connection with the schema as its search
 * path; close to drop the schema and hand the connection back as it came.
 */
public final class SchemaAtVersion implements AutoCloseable {
  private final String name;
  private final Connection connection;
  private final DataSource dataSource;
  private final JdbcClient sql;

  private SchemaAtVersion(String name, Connection connection) {
    this.name = name;
    this.connection = connection;
    this.dataSource = new SingleConnectionDataSource(connection, true);
    this.sql = JdbcClient.create(dataSource);
  }

  /**
   * @param prefix start of the schema's name (a random suffix follows)
   * @param version the last migration applied, as Flyway names it ("7" for V7)
   */
  public static SchemaAtVersion migratedTo(String prefix, String version) throws SQLException {
    String name = prefix + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    Connection connection = TestDatabase.server().getConnection();
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + name);
    }
    TestDatabase.migrateSchema(name, version);
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET search_path TO " + name);
    }
    connection.setAutoCommit(true);
    return new SchemaAtVersion(name, connection);
  }

  /** Applies every migration after the version the schema was created at. */
  public void migrateToLatest() {
    TestDatabase.migrateSchema(name, null);
  }

  public String name() {
    return name;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public JdbcClient sql() {
    return sql;
  }

  /** A closure row of escalation ESC-1, version 1, event evt-1, with the given status. */
  public void insertClosure(long id, String status) {
    sql.sql(
            """
            INSERT INTO closures (id, escalation_id, disposition_version, event_id,
                                  event_episode_id, event_finalized_at, event_archive_refs,
                                  requested_actions, status, next_attempt_at, created_at,
                                  updated_at)
            VALUES (:id, 'ESC-1', 1, 'evt-1', 'EP-1', now(), '[]', '[]', :status, now(), now(),
                    now())
            """)
        .param("id", id)
        .param("status", status)
        .update();
  }

  @Override
  public void close() throws SQLException {
    // The connection goes back to the tests' shared pool: as it came.
    try (Statement statement = connection.createStatement()) {
      statement.execute("RESET search_path");
      statement.execute("DROP SCHEMA " + name + " CASCADE");
    } finally {
      connection.close();
    }
  }
}
