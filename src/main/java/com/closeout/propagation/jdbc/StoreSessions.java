package com.closeout.propagation.jdbc;

import com.zaxxer.hikari.HikariConfig;

/**
 * What every connection to Closeout's store sets for its session before its first statement
 * (decision 0014).
 *
 * <p>{@code plan_cache_mode = force_generic_plan}: a prepared statement is planned once per
 * connection, not at every execution. Closeout's statements each touch a handful of rows by key, so
 * their best plan does not depend on the values; but a group write takes its rows as arrays ({@code
 * unnest}), whose length a custom plan knows and a generic plan guesses (ten rows, or a thousand
 * for {@code generate_series}), so PostgreSQL's default ({@code auto}) judged the generic plan
 * dearer and planned the guarded step writes, the inbox settlements and the audit appends anew at
 * every execution: at 300 closures/s that was 0.85 ms of the server's 3.4 ms a closure, more than
 * executing them (pg_stat_statements, session 11, docs/performance.md).
 */
public final class StoreSessions {
  /** The session settings, as one statement a pool runs on each new connection. */
  public static final String SETTINGS = "SET plan_cache_mode TO force_generic_plan";

  private StoreSessions() {}

  /** A pool's connection init SQL: the store's session settings, then {@code more} if any. */
  public static String initSql(String more) {
    return more == null || more.isBlank() ? SETTINGS : SETTINGS + "; " + more;
  }

  /** Makes the pool's new connections take the store's session settings (before it starts). */
  public static void apply(HikariConfig pool) {
    String current = pool.getConnectionInitSql();
    if (current == null || !current.startsWith(SETTINGS)) {
      pool.setConnectionInitSql(initSql(current));
    }
  }
}
