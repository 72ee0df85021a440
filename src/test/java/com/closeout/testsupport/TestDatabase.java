package com.closeout.testsupport;

import com.closeout.propagation.jdbc.IsolatedSchema;
import javax.sql.DataSource;

/**
 * The PostgreSQL of the tests: {@code CLOSEOUT_TEST_DATABASE_URL} when set (CI: the local server),
 * otherwise one embedded server per JVM.
 */
public final class TestDatabase {
  private TestDatabase() {}

  public static DataSource server() {
    throw new IllegalStateException("test database being written in this session");
  }

  public static IsolatedSchema freshSchema(String prefix) {
    throw new IllegalStateException("test database being written in this session");
  }
}
