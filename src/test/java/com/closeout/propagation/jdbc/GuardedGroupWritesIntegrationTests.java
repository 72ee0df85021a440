package com.closeout.propagation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.closeout.bench.CountingDataSource;
import com.closeout.domain.ClosureStatus;
import com.closeout.domain.Step;
import com.closeout.domain.StepStatus;
import com.closeout.domain.TargetSnapshot;
import com.closeout.domain.TargetSystem;
import com.closeout.propagation.CloseoutStores;
import com.closeout.propagation.Closure;
import com.closeout.propagation.ClosureChange;
import com.closeout.propagation.ClosureStore;
import com.closeout.propagation.ConcurrentClosureChangeException;
import com.closeout.propagation.NewClosure;
import com.closeout.propagation.StepProgress;
import com.closeout.propagation.TransactionRunner;
import com.closeout.testsupport.Deliveries;
import com.closeout.testsupport.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A worker group's guarded writes (steps finished, prior values recorded, closures changed) are
 * held and sent with the group's COMMIT, their guards checked in the statement (decision 0013).
 */
class GuardedGroupWritesIntegrationTests {
  private static final Instant T0 = Instant.parse("2026-11-20T10:15:00.123456789Z");

  private IsolatedSchema schema;
  private CountingDataSource counted;
  private CloseoutStores stores;
  private ClosureStore closures;
  private TransactionRunner transactions;

  @BeforeEach
  void freshSchema() {
    schema = TestDatabase.freshSchema("guarded");
    counted = new CountingDataSource(schema.dataSource());
    stores = JdbcCloseoutStores.create(counted, Clock.fixed(T0, ZoneOffset.UTC));
    closures = stores.closures();
    transactions = stores.transactions();
  }

  @AfterEach
  void dropSchema() {
    schema.close();
  }

  @Test
  void aGroupsPriorsFinishesAndClosureChangesCommitWithItInOneRoundTrip() {
    Closure closure = claimed("ESC-1");
    StepProgress tracker = step(closure, Step.TRACKER_SYNC);
    StepProgress ledger = step(closure, Step.LEDGER_SYNC);
    CountingDataSource.Counts before = counted.counts();

    transactions.inTransaction(
        () -> {
          closures.recordPriors(List.of(new ClosureStore.PriorRecord(tracker, prior("OPEN"))));
          closures.finishSteps(
              List.of(new ClosureStore.StepFinish(ledger, StepStatus.DONE, prior("CLOSED"))), T0);
          closures.changeAll(List.of(closure), ClosureChange.to(ClosureStatus.COMPLETED, T0));
          return null;
        });

    CountingDataSource.Counts spent = counted.counts().minus(before);
    assertThat(spent.roundTrips()).isEqualTo(1);
    assertThat(spent.statements()).isEqualTo(3);
    assertThat(spent.commits()).isEqualTo(1);
    assertThat(spent.commitRoundTrips()).isZero();
    assertThat(spent.kinds())
        .containsEntry("INSERT closure_step_priors", 1L)
        .containsEntry("UPDATE closure_steps", 1L)
        .containsEntry("UPDATE closures", 1L);
    assertThat(step(closure, Step.TRACKER_SYNC).prior())
        .extracting(TargetSnapshot::status)
        .containsExactly("OPEN");
    assertThat(step(closure, Step.TRACKER_SYNC).revision()).isEqualTo(tracker.revision());
    assertThat(step(closure, Step.LEDGER_SYNC).status()).isEqualTo(StepStatus.DONE);
    Closure completed = closures.find(closure.id()).orElseThrow();
    assertThat(completed.status()).isEqualTo(ClosureStatus.COMPLETED);
    assertThat(completed.revision()).isEqualTo(closure.revision() + 1);
    assertThat(completed.leaseOwner()).isNull();
    assertThat(completed.leaseUntil()).isNull();
  }

  @Test
  void aStepThatMovedMeanwhileFailsTheCommitAndNothingOfTheTransactionIsKept() {
    Closure closure = claimed("ESC-1");
    StepProgress tracker = step(closure, Step.TRACKER_SYNC);
    StepProgress ledger = step(closure, Step.LEDGER_SYNC);
    // Someone else finished the tracker step since this worker read it.
    closures.finishStep(tracker, StepStatus.DONE, List.of(), T0);

    assertThatThrownBy(
            () ->
                transactions.inTransaction(
                    () -> {
                      // Sent at once (it returns the new row), so held writes go first.
                      closures.change(
                          closure, new ClosureChange(null, 4, null, null, false, null, T0));
                      closures.finishSteps(
                          List.of(
                              new ClosureStore.StepFinish(ledger, StepStatus.DONE, List.of()),
                              new ClosureStore.StepFinish(tracker, StepStatus.DONE, List.of())),
                          T0);
                      return null;
                    }))
        .isInstanceOf(ConcurrentClosureChangeException.class)
        .hasMessageContaining("finishing steps of closures " + closure.id())
        .hasMessageContaining("1 of 2 rows matched");

    assertThat(step(closure, Step.LEDGER_SYNC).status()).isEqualTo(StepStatus.PENDING);
    assertThat(closures.find(closure.id()).orElseThrow().attempts()).isEqualTo(closure.attempts());
    // The connection went back fit for the next transaction.
    transactions.inTransaction(
        () ->
            closures.finishSteps(
                List.of(new ClosureStore.StepFinish(ledger, StepStatus.DONE, List.of())), T0));
    assertThat(step(closure, Step.LEDGER_SYNC).status()).isEqualTo(StepStatus.DONE);
  }

  @Test
  void aHeldWriteIsSentBeforeTheStoreNextReadsInTheSameTransaction() {
    Closure closure = claimed("ESC-1");
    StepProgress tracker = step(closure, Step.TRACKER_SYNC);

    List<StepProgress> seen =
        transactions.inTransaction(
            () -> {
              closures.finishSteps(
                  List.of(new ClosureStore.StepFinish(tracker, StepStatus.DONE, List.of())), T0);
              return closures.steps(closure.id());
            });

    assertThat(seen)
        .filteredOn(step -> step.step() == Step.TRACKER_SYNC)
        .extracting(StepProgress::status)
        .containsExactly(StepStatus.DONE);
  }

  @Test
  void aClaimRefusedInsideATransactionDoesNotTakeTheHeldWritesWithIt() {
    Closure first = claimed("ESC-1");
    StepProgress tracker = step(first, Step.TRACKER_SYNC);
    Closure second =
        Deliveries.start(
                closures,
                new NewClosure(JdbcClosureStoreIntegrationTests.event("ESC-1", 2, "evt-v2"), T0))
            .orElseThrow();

    Optional<Closure> refused =
        transactions.inTransaction(
            () -> {
              closures.finishSteps(
                  List.of(new ClosureStore.StepFinish(tracker, StepStatus.DONE, List.of())), T0);
              // Version 1 of the escalation is leased: the claim rolls back to its savepoint.
              return closures.claim(second, ClosureStatus.RUNNING, "w2", T0.plusSeconds(60));
            });

    assertThat(refused).isEmpty();
    assertThat(step(first, Step.TRACKER_SYNC).status()).isEqualTo(StepStatus.DONE);
  }

  @Test
  void outsideATransactionAClosureThatMovedFailsTheChangeAtOnceAndNoneOfTheGroupChanges() {
    Closure first = claimed("ESC-1");
    Closure second = claimed("ESC-2");
    closures.change(second, new ClosureChange(null, 1, null, null, false, null, T0));

    assertThatThrownBy(
            () ->
                closures.changeAll(
                    List.of(first, second), ClosureChange.to(ClosureStatus.COMPLETED, T0)))
        .isInstanceOf(ConcurrentClosureChangeException.class)
        .hasMessageContaining("changing closures " + first.id() + ", " + second.id());

    assertThat(closures.find(first.id()).orElseThrow().status()).isEqualTo(ClosureStatus.RUNNING);
    assertThat(closures.find(second.id()).orElseThrow().status()).isEqualTo(ClosureStatus.RUNNING);
  }

  @Test
  void aChangeOfManyClosuresWritesWhatItCarriesAndKeepsWhatItLeavesOut() {
    Closure first = claimed("ESC-1");
    Closure second = claimed("ESC-2");
    Instant due = T0.plusSeconds(30);

    closures.changeAll(
        List.of(first, second),
        ClosureChange.to(ClosureStatus.PENDING, T0)
            .withAttempts(3)
            .withSourceBehindReads(2)
            .dueAt(due)
            .withLastError("tracker unavailable"));

    for (Closure closure : List.of(first, second)) {
      Closure waiting = closures.find(closure.id()).orElseThrow();
      assertThat(waiting.status()).isEqualTo(ClosureStatus.PENDING);
      assertThat(waiting.revision()).isEqualTo(closure.revision() + 1);
      assertThat(waiting.attempts()).isEqualTo(3);
      assertThat(waiting.sourceBehindReads()).isEqualTo(2);
      assertThat(waiting.nextAttemptAt()).isEqualTo(due.truncatedTo(ChronoUnit.MICROS));
      assertThat(waiting.leaseOwner()).isNull();
      assertThat(lastError(closure)).isEqualTo("tracker unavailable");
    }

    // A change that names no status, attempts, due time or error keeps them.
    closures.changeAll(
        List.of(closures.find(second.id()).orElseThrow()),
        new ClosureChange(null, null, 5, null, false, null, T0.plusSeconds(1)));

    Closure kept = closures.find(second.id()).orElseThrow();
    assertThat(kept.status()).isEqualTo(ClosureStatus.PENDING);
    assertThat(kept.attempts()).isEqualTo(3);
    assertThat(kept.sourceBehindReads()).isEqualTo(5);
    assertThat(kept.nextAttemptAt()).isEqualTo(due.truncatedTo(ChronoUnit.MICROS));
    assertThat(kept.updatedAt()).isEqualTo(T0.plusSeconds(1).truncatedTo(ChronoUnit.MICROS));
    assertThat(lastError(second)).isEqualTo("tracker unavailable");
  }

  @Test
  void aChangeThatLeavesAClosureLeasedKeepsItsLeaseUnlessToldToDropIt() {
    Closure closure = claimed("ESC-1");

    closures.changeAll(List.of(closure), new ClosureChange(null, 1, null, null, false, null, T0));
    Closure held = closures.find(closure.id()).orElseThrow();
    closures.changeAll(List.of(held), new ClosureChange(null, 2, null, null, true, null, T0));

    assertThat(held.leaseOwner()).isEqualTo("w1");
    assertThat(held.leaseUntil()).isEqualTo(closure.leaseUntil());
    assertThat(closures.find(closure.id()).orElseThrow().leaseOwner()).isNull();
  }

  @Test
  void aClosureGivenTwiceInOneChangeIsRefusedBeforeAnythingIsSent() {
    Closure closure = claimed("ESC-1");
    CountingDataSource.Counts before = counted.counts();

    assertThatThrownBy(
            () ->
                closures.changeAll(
                    List.of(closure, closure), ClosureChange.to(ClosureStatus.COMPLETED, T0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("given twice");
    assertThat(counted.counts().minus(before).roundTrips()).isZero();
  }

  @Test
  void aPriorRecordedAlreadyIsKeptAndAStepThatMovedSinceItWasReadFailsTheRecording() {
    Closure closure = claimed("ESC-1");
    StepProgress tracker = step(closure, Step.TRACKER_SYNC);
    StepProgress recorded = closures.recordPrior(tracker, prior("OPEN"));
    CountingDataSource.Counts before = counted.counts();

    // Read with its prior values recorded: the first recording wins, nothing is sent.
    List<StepProgress> kept =
        closures.recordPriors(List.of(new ClosureStore.PriorRecord(recorded, prior("CLOSED"))));

    assertThat(kept).containsExactly(recorded);
    assertThat(counted.counts().minus(before).roundTrips()).isZero();
    // Read before the recording: it moved since, and the write says so.
    assertThatThrownBy(
            () ->
                closures.recordPriors(
                    List.of(new ClosureStore.PriorRecord(tracker, prior("CLOSED")))))
        .isInstanceOf(ConcurrentClosureChangeException.class)
        .hasMessageContaining("recording prior values of steps of closures " + closure.id());
    assertThat(step(closure, Step.TRACKER_SYNC).prior())
        .extracting(TargetSnapshot::status)
        .containsExactly("OPEN");
  }

  private Closure claimed(String escalation) {
    Deliveries.start(
            closures,
            new NewClosure(
                JdbcClosureStoreIntegrationTests.event(escalation, 1, "evt-" + escalation), T0))
        .orElseThrow();
    return closures.claimDue(T0, "w1", T0.plusSeconds(120), 1).get(0);
  }

  private StepProgress step(Closure closure, Step step) {
    return closures.step(closure.id(), step).orElseThrow();
  }

  private static List<TargetSnapshot> prior(String status) {
    return List.of(
        new TargetSnapshot(TargetSystem.TRACKER, "ESC-1", status, null, null, List.of(), 1));
  }

  private String lastError(Closure closure) {
    return JdbcClient.create(schema.dataSource())
        .sql("SELECT last_error FROM closures WHERE id = :id")
        .param("id", closure.id())
        .query(String.class)
        .single();
  }
}
