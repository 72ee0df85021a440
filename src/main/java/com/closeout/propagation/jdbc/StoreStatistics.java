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
 * before. So whoever keeps the store (the audit chainer, every so many entries) analyzes each young
 * growing table that holds twice the rows its statistics knew; past {@link #GROWN} rows the plans
 * no longer change with its size and the table is left to autovacuum. At most five ANALYZEs a table
 * in a store's life: rows counted (not changes, which the updates of every closure would have made
 * a dozen) at 1 000, 2 000, 4 000, 8 000 and 16 000.
 */
public final class StoreStatistics {
  /** The tables that grow with every closure. */
  static final List<String> GROWING =
      List.of(
          "inbox",
          "closures",
          "closure_steps",
          "closure_step_priors",
          "audit_entries",
          "completion_records");

  /** Rows below which a table is left as it is: a scan of fewer costs little. */
  static final long AT_LEAST = 1_000;

  /** Rows from which on a table's plans find their rows by index whatever it holds. */
  static final long GROWN = 10_000;

  private final JdbcClient jdbc;

  public StoreStatistics(DataSource dataSource) {
    this.jdbc = JdbcClient.create(dataSource);
  }

  /**
   * Analyzes every growing table whose statistics knew fewer than {@link #GROWN} rows and that now
   * holds at least twice as many (and at least {@link #AT_LEAST}); returns those it analyzed.
   * Outside any transaction, in the store's schema.
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
                   AND c.reltuples < :grown
                   AND s.n_live_tup >= greatest(:atLeast, 2 * c.reltuples)
                 ORDER BY s.relname
                """)
            .param("tables", GROWING.toArray(String[]::new))
            .param("grown", GROWN)
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
