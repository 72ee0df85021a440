package com.closeout.propagation.jdbc;

import javax.sql.DataSource;

/**
 * A migrated PostgreSQL schema of its own, for one scenario run or one test; closing it drops the
 * schema and closes its connections.
 */
public interface IsolatedSchema extends AutoCloseable {
  String name();

  DataSource dataSource();

  @Override
  void close();
}
