package com.closeout.propagation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.closeout.domain.Step;
import com.closeout.domain.StepStatus;
import com.closeout.domain.TargetSnapshot;
import com.closeout.propagation.ClosureStore;
import com.closeout.propagation.ConcurrentClosureChangeException;
import com.closeout.propagation.StepProgress;
import com.closeout.testsupport.SchemaAtVersion;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * A store whose prior values were kept in the step rows (before V8), migrated to their own rows.
 */
class StepPriorsMigrationIntegrationTests {
  private static final Instant AT = Instant.parse("2026-11-28T10:15:00Z");
  private static final String PRIOR =
      """
      [{"system":"TRACKER","recordId":"ESC-1","status":"IN_REVIEW","dispositionVersion":null,\
      "closedAt":null,"archiveUris":[],"revision":4}]""";

  private SchemaAtVersion schema;

  @BeforeEach
  void schemaWithPriorsInTheStepRows() throws SQLException {
    schema = SchemaAtVersion.migratedTo("step_priors_", "7");
  }

  @AfterEach
  void dropSchema() throws SQLException {
    schema.close();
  }

  @Test
  void priorValuesRecordedInTheStepRowsAreReadFromTheirOwnRowsAndStillGuardTheSteps() {
    schema.insertClosure(1, "PENDING");
    // TRACKER_SYNC recorded (revision 2, as the update that recorded it left it); LEDGER_SYNC with
    // the empty list an old single recording could leave, which never read as recorded.
    schema
        .sql()
        .sql(
            """
            INSERT INTO closure_steps (closure_id, step, step_order, status, revision,
                                       idempotency_key, prior)
            VALUES (1, 'TRACKER_SYNC', 1, 'PENDING', 2, 'ESC-1:v1:TRACKER_SYNC',
                    CAST(:prior AS jsonb)),
                   (1, 'LEDGER_SYNC', 2, 'PENDING', 2, 'ESC-1:v1:LEDGER_SYNC', '[]'),
                   (1, 'QUEUE_CLOSE', 3, 'PENDING', 1, 'ESC-1:v1:QUEUE_CLOSE', NULL)
            """)
        .param("prior", PRIOR)
        .update();

    schema.migrateToLatest();

    ClosureStore closures =
        new JdbcClosureStore(
            schema.dataSource(),
            new DataSourceTransactionManager(schema.dataSource()),
            Clock.fixed(AT, ZoneOffset.UTC));
    List<StepProgress> steps = closures.steps(1);
    StepProgress tracker = steps.get(0);
    assertThat(tracker.step()).isEqualTo(Step.TRACKER_SYNC);
    assertThat(tracker.revision()).isEqualTo(2);
    assertThat(tracker.prior()).extracting(TargetSnapshot::status).containsExactly("IN_REVIEW");
    assertThat(steps.get(1).prior()).isEmpty();
    assertThat(steps.get(2).prior()).isEmpty();
    assertThat(
            schema
                .sql()
                .sql(
                    "SELECT count(*) FROM information_schema.columns WHERE table_schema = :schema"
                        + " AND table_name = 'closure_steps' AND column_name = 'prior'")
                .param("schema", schema.name())
                .query(Long.class)
                .single())
        .isZero();

    // Read as if never recorded, the tracker's step is not finished; read with them, it is.
    StepProgress asIfNeverRecorded =
        new StepProgress(
            1,
            Step.TRACKER_SYNC,
            StepStatus.PENDING,
            2,
            tracker.idempotencyKey(),
            List.of(),
            List.of(),
            null);
    assertThatThrownBy(() -> closures.finishStep(asIfNeverRecorded, StepStatus.DONE, List.of(), AT))
        .isInstanceOf(ConcurrentClosureChangeException.class);
    StepProgress done = closures.finishStep(tracker, StepStatus.DONE, List.of(), AT);
    assertThat(done.prior()).isEqualTo(tracker.prior());
    // The ledger's step had none recorded: its first recording is its own.
    StepProgress ledger =
        closures.recordPrior(
            steps.get(1),
            List.of(
                new TargetSnapshot(
                    com.closeout.domain.TargetSystem.LEDGER,
                    "LED-1",
                    "OPEN",
                    null,
                    null,
                    List.of(),
                    3)));
    assertThat(closures.steps(1).get(1)).isEqualTo(ledger);
  }
}
