package com.closeout.propagation.jdbc;

import com.closeout.propagation.CloseoutStores;
import javax.sql.DataSource;

/** Builds every JDBC store adapter over one DataSource, sharing one transaction manager. */
public final class JdbcCloseoutStores {
  private JdbcCloseoutStores() {}

  public static CloseoutStores create(DataSource dataSource) {
    throw new IllegalStateException("store adapters being written in this session");
  }
}
