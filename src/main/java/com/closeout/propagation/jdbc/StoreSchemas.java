package com.closeout.propagation.jdbc;

import javax.sql.DataSource;

/** Flyway migrations of Closeout's store, and throw-away schemas for isolated runs. */
public final class StoreSchemas {
  private StoreSchemas() {}

  /** Applies the migrations to the DataSource's default schema. */
  public static void migrate(DataSource dataSource) {
    throw new IllegalStateException("store adapters being written in this session");
  }

  /** Creates and migrates a fresh schema named {@code prefix} plus a unique suffix. */
  public static IsolatedSchema isolated(DataSource base, String prefix) {
    throw new IllegalStateException("store adapters being written in this session");
  }
}
