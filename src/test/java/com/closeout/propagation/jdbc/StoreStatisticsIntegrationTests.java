package com.closeout.propagation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.closeout.testsupport.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class StoreStatisticsIntegrationTests {
  private IsolatedSchema schema;
  private JdbcClient sql;
  private StoreStatistics statistics;

  @BeforeEach
  void freshStore() {
    schema = TestDatabase.freshSchema("statistics");
    sql = JdbcClient.create(schema.dataSource());
    // Only the statistics under test may analyze the inbox here.
    sql.sql("ALTER TABLE inbox SET (autovacuum_enabled = false)").update();
    statistics = new StoreStatistics(schema.dataSource());
  }

  @AfterEach
  void dropStore() {
    schema.close();
  }

  @Test
  void aYoungTableHoldingTwiceTheRowsItsStatisticsKnewIsAnalyzedOnce() {
    addInboxRows(0, 1_500);
    awaitInboxRowsCounted(1_500);

    assertThat(statistics.analyzeGrown()).containsExactly("inbox");

    assertThat(
            sql.sql(
                    """
                    SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables
                     WHERE relid = CAST('inbox' AS regclass)
                    """)
                .query(Boolean.class)
                .single())
        .isTrue();
    assertThat(statistics.analyzeGrown()).isEmpty();
  }

  @Test
  void aTableHoldingFewerThanTwiceTheRowsItsStatisticsKnewIsLeftAsItIs() {
    addInboxRows(0, 1_500);
    awaitInboxRowsCounted(1_500);
    sql.sql("ANALYZE inbox").update();
    addInboxRows(1_500, 1_200);
    awaitInboxRowsCounted(2_700);

    assertThat(statistics.analyzeGrown()).isEmpty();

    addInboxRows(2_700, 400);
    awaitInboxRowsCounted(3_100);

    assertThat(statistics.analyzeGrown()).containsExactly("inbox");
  }

  @Test
  void aTableOfFewerRowsThanTheFloorIsLeftAsItIsEvenWithoutStatistics() {
    addInboxRows(0, 900);
    awaitInboxRowsCounted(900);

    assertThat(statistics.analyzeGrown()).isEmpty();
  }

  @Test
  void aTableWhoseStatisticsKnewItGrownIsLeftToAutovacuumHoweverItGrows() {
    addInboxRows(0, 12_000);
    awaitInboxRowsCounted(12_000);
    sql.sql("ANALYZE inbox").update();
    addInboxRows(12_000, 30_000);
    awaitInboxRowsCounted(42_000);

    assertThat(statistics.analyzeGrown()).isEmpty();
  }

  @Test
  void theStepsPriorValuesAreAnalyzedAsTheyGrowForTheClaimAndTheFinishJoinThem() {
    sql.sql("ALTER TABLE closure_step_priors SET (autovacuum_enabled = false)").update();
    sql.sql(
            """
            INSERT INTO closure_step_priors (closure_id, step, prior)
            SELECT n, 'TRACKER_SYNC', '[{"system":"TRACKER"}]'
              FROM generate_series(1, 1500) AS n
            """)
        .update();
    awaitRowsCounted("closure_step_priors", 1_500);

    assertThat(statistics.analyzeGrown()).containsExactly("closure_step_priors");
  }

  private void addInboxRows(int from, int count) {
    sql.sql(
            """
            INSERT INTO inbox (event_id, event_type, received_at, outcome)
            SELECT 'evt-' || n, 'closure', now(), 'ACCEPTED'
              FROM generate_series(:from, :from + :count - 1) AS n
            """)
        .param("from", from)
        .param("count", count)
        .update();
  }

  private void awaitInboxRowsCounted(long rows) {
    awaitRowsCounted("inbox", rows);
  }

  /** A backend reports its table counts a moment after its transaction, not with it. */
  private void awaitRowsCounted(String table, long rows) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () ->
                sql.sql(
                            """
                        SELECT n_live_tup FROM pg_stat_user_tables
                         WHERE relid = CAST(:table AS regclass)
                        """)
                        .param("table", table)
                        .query(Long.class)
                        .single()
                    >= rows);
  }
}
