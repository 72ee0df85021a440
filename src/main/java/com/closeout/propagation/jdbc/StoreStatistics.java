package com.closeout.propagation.jdbc;

import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Keeps the planner's statistics of the store's growing tables from falling far behind while the
 * tables are young (decision 0014).
 *
 * <p>The store's sessions plan each statement once ({@link StoreSessions}); a plan made while a
 * table was nearly empty may scan it whole, and is kept until the table's statistics change.
 * Autovacuum renews them once a table changed by a tenth, but looks at most once a naptime (a
 * minute by default): a young store taking hundreds of closures a second outgrows its plans well
 * before. So whoever keeps the store (the audit chainer, every so many entries) analyzes each
 * growing table changed by more rows since its statistics were taken than it held then; a grown
 * table, which autovacuum keeps up with, is left to it.
 */
public final class StoreStatistics {
  /** The tables that grow with every closure. */
  static final List<String> GROWING =
      List.of("inbox", "closures", "closure_steps", "audit_entries", "completion_records");

  /** Changes below which a table is left to autovacuum, whatever its size. */
  static final long AT_LEAST = 1_000;

  private final JdbcClient jdbc;

  public StoreStatistics(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
  }

  /**
   * Analyzes every growing table changed by at least as many rows as it held when its statistics
   * were taken (and by at least {@link #AT_LEAST}); returns those it analyzed. Outside any
   * transaction, in the store's schema.
   */
  public List<String> analyzeGrown() {
    List<String> grown =
        jdbc
            .sql(
                """
                SELECT s.relname
                  FROM pg_stat_user_tables s
                  JOIN pg_class c ON c.oid = s.relid
                 WHERE s.relid = ANY (CAST(:tables AS regclass[]))
                   AND s.n_mod_since_analyze >= greatest(:atLeast, c.reltuples)
                 ORDER BY s.relname
                """)
            .param("tables", GROWING.toArray(String[]::new))
            .param("atLeast", AT_LEAST)
            .query(String.class)
            .list()
            .stream()
            .filter(GROWING::contains)
            .toList();
    if (!grown.isEmpty()) {
      jdbc.sql("ANALYZE " + String.join(", ", grown)).update();
    }
    return grown;
  }
}
