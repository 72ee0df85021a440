package com.closeout.propagation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.ClosureKey;
import com.closeout.domain.ClosureStatus;
import com.closeout.domain.IdempotencyKey;
import com.closeout.domain.Step;
import com.closeout.domain.StepStatus;
import com.closeout.domain.TargetSystem;
import com.closeout.evaluation.SimulatedClock;
import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.propagation.jdbc.JdbcCloseoutStores;
import com.closeout.sandbox.FaultKind;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.EscalationTracker;
import com.closeout.targets.PostReviewQueue;
import com.closeout.targets.QueueItem;
import com.closeout.targets.ReviewState;
import com.closeout.targets.TargetPorts;
import com.closeout.targets.TargetUnavailableException;
import com.closeout.targets.WriteResult;
import com.closeout.testsupport.CleanEscalation;
import com.closeout.testsupport.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The worker carries whole batches through the steps in lockstep, with group commits. */
class ClosureWorkerBatchIntegrationTests {
  private static final Instant FINALIZED = Instant.parse("2026-11-20T10:14:58Z");
  private static final Map<TargetSystem, Integer> ONE_CLEAN_CLOSURE =
      Map.of(
          TargetSystem.TRACKER, 3,
          TargetSystem.LEDGER, 3,
          TargetSystem.QUEUE, 1,
          TargetSystem.NOTIFICATION, 1);

  private final SimulatedClock clock = new SimulatedClock(Instant.parse("2026-11-20T11:00:00Z"));
  private IsolatedSchema schema;
  private CloseoutStores stores;
  private SandboxSystems sandbox;
  private ExecutorService pool;
  private final AtomicInteger transactions = new AtomicInteger();

  /** Claims that still go through before every further one fails; negative: none fails. */
  private final AtomicInteger claimsBeforeFailure = new AtomicInteger(-1);

  private final AtomicInteger leaseSweeps = new AtomicInteger();
  private final AtomicInteger claimStatements = new AtomicInteger();

  @BeforeEach
  void setUp() {
    schema = TestDatabase.freshSchema("batch");
    CloseoutStores real = JdbcCloseoutStores.create(schema.dataSource(), clock);
    TransactionRunner counting =
        new TransactionRunner() {
          @Override
          public <T> T inTransaction(Supplier<T> work) {
            transactions.incrementAndGet();
            return real.transactions().inTransaction(work);
          }
        };
    ClosureStore closures = real.closures();
    ClosureStore failingClaims =
        (ClosureStore)
            Proxy.newProxyInstance(
                ClosureStore.class.getClassLoader(),
                new Class<?>[] {ClosureStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("releaseExpiredLeases")) {
                    leaseSweeps.incrementAndGet();
                  }
                  if (method.getName().startsWith("claimDue")) {
                    claimStatements.incrementAndGet();
                  }
                  if (method.getName().startsWith("claimDue")
                      && claimsBeforeFailure.getAndUpdate(left -> left > 0 ? left - 1 : left)
                          == 0) {
                    throw new IllegalStateException("claim refused by the test");
                  }
                  try {
                    return method.invoke(closures, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    stores =
        new CloseoutStores(
            real.inbox(),
            failingClaims,
            real.audit(),
            real.completions(),
            real.followUps(),
            counting);
    sandbox = new SandboxSystems();
    pool = Executors.newFixedThreadPool(4);
  }

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
    schema.close();
  }

  private CloseoutEngine engine(StepCommitListener listener) {
    EngineSettings settings = EngineSettings.defaults();
    return new CloseoutEngine(
        sandbox.ports(),
        stores,
        clock,
        settings,
        "batch-worker",
        listener,
        new SplittableRandom(5),
        pool);
  }

  /** An engine whose worker runs, as under {@link WorkerThreads}: intake hands closures over. */
  private CloseoutEngine engineTakingFromIntake() {
    CloseoutEngine engine = engine(StepCommitListener.NONE);
    engine.openIntakeHandOff();
    return engine;
  }

  private void failNextClaimAfter(int claims) {
    claimsBeforeFailure.set(claims);
  }

  private List<CleanEscalation> receive(CloseoutEngine engine, int count) {
    List<CleanEscalation> escalations = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      CleanEscalation escalation =
          CleanEscalation.loadInto(sandbox, String.format("ESC-%03d", i), FINALIZED);
      engine.receive(escalation.event("evt-" + i));
      escalations.add(escalation);
    }
    return escalations;
  }

  private void drain(CloseoutEngine engine) {
    for (int i = 0; i < 1_000; i++) {
      engine.runDue();
      var next = engine.nextDueAt();
      if (next.isEmpty()) {
        return;
      }
      clock.advanceTo(next.get());
    }
    throw new AssertionError("did not drain");
  }

  private void assertEachCompletedExactlyOnce(List<CleanEscalation> escalations) {
    for (CleanEscalation escalation : escalations) {
      assertThat(stores.closures().find(new ClosureKey(escalation.id(), 1)))
          .get()
          .extracting(Closure::status)
          .as(escalation.id().value())
          .isEqualTo(ClosureStatus.COMPLETED);
      assertThat(sandbox.writes(escalation.id()))
          .as(escalation.id().value())
          .containsAllEntriesOf(ONE_CLEAN_CLOSURE);
      assertThat(sandbox.tracker(escalation.id()).orElseThrow().closedAt()).isEqualTo(FINALIZED);
      assertThat(sandbox.queueItem(escalation.id()).orElseThrow().closedAt()).isEqualTo(FINALIZED);
    }
    assertThat(stores.audit().verify()).isEmpty();
  }

  @Test
  void aFullBatchCompletesEveryClosureWithGroupCommitsNotCommitsPerClosure() {
    CloseoutEngine engine = engine(StepCommitListener.NONE);
    List<CleanEscalation> escalations = receive(engine, 32);
    transactions.set(0);

    engine.runDue();

    assertEachCompletedExactlyOnce(escalations);
    // Each phase's outcome commits with the next phase's work: verification with both syncs'
    // prior values, the syncs' results with the archive links' and the queue's priors, theirs with
    // the completion records, the notice with the completion: 4 in all (13 one step at a time).
    assertThat(transactions.get()).isEqualTo(4);
  }

  @Test
  void aBusyWorkerCommitsABatchsCompletionsWithTheNextBatchsVerification() {
    CloseoutEngine engine = engine(StepCommitListener.NONE);
    List<CleanEscalation> escalations = receive(engine, 64);
    transactions.set(0);

    engine.runDue();

    assertEachCompletedExactlyOnce(escalations);
    // Two batches of 32: the first batch's notices and completions ride with the second batch's
    // verification; the second batch's commit alone once the next claim finds nothing due.
    assertThat(transactions.get()).isEqualTo(7);
  }

  @Test
  void closuresIntakeHandedOverAreWorkedWithoutAClaim() {
    CloseoutEngine engine = engineTakingFromIntake();
    List<CleanEscalation> escalations = receive(engine, 3);
    assertThat(engine.handedOverByIntake()).isEqualTo(3);

    engine.runDue();

    assertEachCompletedExactlyOnce(escalations);
    // Only the claim that finds nothing more due, before the worker sleeps.
    assertThat(claimStatements.get()).isOne();
  }

  @Test
  void anEngineWhoseWorkerDoesNotRunLeasesNothing() {
    CloseoutEngine engine = engine(StepCommitListener.NONE);
    List<CleanEscalation> escalations = receive(engine, 2);

    assertThat(engine.handedOverByIntake()).isZero();
    assertThat(stores.closures().find(new ClosureKey(escalations.get(0).id(), 1)))
        .get()
        .extracting(Closure::status)
        .isEqualTo(ClosureStatus.PENDING);
    engine.runDue();
    assertEachCompletedExactlyOnce(escalations);
  }

  @Test
  void closingTheHandOffGivesWhatNoWorkerTookBackToTheClaims() {
    CloseoutEngine engine = engineTakingFromIntake();
    List<CleanEscalation> escalations = receive(engine, 2);

    assertThat(engine.closeIntakeHandOff()).isEqualTo(2);

    for (CleanEscalation escalation : escalations) {
      Closure closure = stores.closures().find(new ClosureKey(escalation.id(), 1)).orElseThrow();
      assertThat(closure.status()).isEqualTo(ClosureStatus.PENDING);
      assertThat(closure.leaseOwner()).isNull();
      assertThat(closure.nextAttemptAt()).isBeforeOrEqualTo(clock.instant());
    }
    // Closed: intake leases no more, and another engine's claim takes them.
    escalations.add(CleanEscalation.loadInto(sandbox, "ESC-LATE", FINALIZED));
    engine.receive(escalations.get(2).event("evt-late"));
    assertThat(engine.handedOverByIntake()).isEqualTo(2);
    engine(StepCommitListener.NONE).runDue();
    assertEachCompletedExactlyOnce(escalations);
    assertThat(engine.closeIntakeHandOff()).isZero();
  }

  @Test
  void aHandedOverClosureWhoseLeaseRanOutWhileItWaitedIsLeftToTheLeaseSweep() {
    CloseoutEngine engine = engineTakingFromIntake();
    List<CleanEscalation> escalations = receive(engine, 1);
    clock.advanceTo(clock.instant().plus(EngineSettings.defaults().lease()).plusSeconds(1));

    engine.runDue();

    assertEachCompletedExactlyOnce(escalations);
    // Left out of the hand-off, given back by the sweep, then claimed: two claims in all.
    assertThat(claimStatements.get()).isEqualTo(2);
  }

  @Test
  void eachClaimIsAnnouncedAndOnlyAClaimOfAFullBatchSaysThatMoreMayBeDue() {
    CloseoutEngine engine = engine(StepCommitListener.NONE);
    List<CleanEscalation> escalations = receive(engine, 40);
    AtomicInteger claims = new AtomicInteger();
    AtomicInteger fullClaims = new AtomicInteger();

    engine.runDue(
        new ClaimListener() {
          @Override
          public void claiming() {
            claims.incrementAndGet();
          }

          @Override
          public void claimedInFull() {
            fullClaims.incrementAndGet();
          }
        });

    assertEachCompletedExactlyOnce(escalations);
    // 32, then 8, then none.
    assertThat(claims.get()).isEqualTo(3);
    assertThat(fullClaims.get()).isOne();
  }

  @Test
  void expiredLeasesAreLookedForAtMostOnceInAnEighthOfALease() {
    CloseoutEngine engine = engine(StepCommitListener.NONE);
    Duration sweepEvery =
        EngineSettings.defaults().lease().dividedBy(ClosureWorker.LEASE_SWEEP_SHARE);

    engine.runDue();
    engine.runDue();
    clock.advanceTo(clock.instant().plus(sweepEvery).minusMillis(1));
    engine.runDue();
    assertThat(leaseSweeps.get()).isOne();

    clock.advanceTo(clock.instant().plusMillis(1));
    engine.runDue();
    assertThat(leaseSweeps.get()).isEqualTo(2);
  }

  @Test
  void aClosureLeftRunningByADeadWorkerIsTakenOverOnceItsLeaseExpired() {
    CloseoutEngine engine = engine(StepCommitListener.NONE);
    List<CleanEscalation> escalations = receive(engine, 1);
    Instant now = clock.instant();
    Duration lease = EngineSettings.defaults().lease();
    // Another worker claimed it and died.
    assertThat(stores.closures().claimDue(now, "dead-worker", now.plus(lease), 32)).hasSize(1);

    engine.runDue();
    ClosureKey key = new ClosureKey(escalations.get(0).id(), 1);
    assertThat(stores.closures().find(key).orElseThrow().status()).isEqualTo(ClosureStatus.RUNNING);
    clock.advanceTo(now.plus(lease));
    drain(engine);

    assertEachCompletedExactlyOnce(escalations);
  }

  @Test
  void theNoticeOfACarriedCompletionIsAnnouncedOnlyOnceItsCommitLanded() {
    List<String> announced = new ArrayList<>();
    CloseoutEngine engine =
        engine(
            (closure, step) -> {
              if (step == Step.COORDINATOR_NOTIFY) {
                // Announced after the commit that records the notice: the closure reads as done.
                assertThat(
                        stores
                            .closures()
                            .step(stores.closures().find(closure).orElseThrow().id(), step))
                    .get()
                    .extracting(StepProgress::status)
                    .isEqualTo(StepStatus.DONE);
                announced.add(closure.escalationId().value());
              }
            });
    List<CleanEscalation> escalations = receive(engine, 40);

    engine.runDue();

    assertEachCompletedExactlyOnce(escalations);
    assertThat(announced)
        .containsExactlyInAnyOrderElementsOf(
            escalations.stream().map(e -> e.id().value()).toList());
  }

  @Test
  void aClaimThatFailsAfterABatchStillCommitsThatBatchsCompletions() {
    CloseoutEngine engine = engine(StepCommitListener.NONE);
    List<CleanEscalation> escalations = receive(engine, 3);
    failNextClaimAfter(1);

    assertThatThrownBy(engine::runDue).hasMessageContaining("claim refused");

    assertEachCompletedExactlyOnce(escalations);
  }

  @Test
  void aLedgerPriorRecordedWithTheTrackersIsForgottenWhenTheTrackerWriteDoesNotGoThrough() {
    CloseoutEngine engine = engine(StepCommitListener.NONE);
    List<CleanEscalation> escalations = receive(engine, 3);
    // The next tracker write lands but its answer is lost: that closure waits for a retry.
    sandbox.injectFault(TargetSystem.TRACKER, FaultKind.TIMEOUT, 1);

    engine.runDue();

    long waiting =
        escalations.stream()
            .map(e -> stores.closures().find(new ClosureKey(e.id(), 1)).orElseThrow())
            .filter(closure -> closure.status() == ClosureStatus.PENDING)
            .peek(
                closure -> {
                  StepProgress tracker =
                      stores.closures().step(closure.id(), Step.TRACKER_SYNC).orElseThrow();
                  StepProgress ledger =
                      stores.closures().step(closure.id(), Step.LEDGER_SYNC).orElseThrow();
                  // The tracker write may have landed: its prior values stay. The ledger was
                  // never written: it must not read as attempted on the retry.
                  assertThat(tracker.prior()).isNotEmpty();
                  assertThat(ledger.prior()).isEmpty();
                  assertThat(ledger.status()).isEqualTo(StepStatus.PENDING);
                  assertThat(sandbox.writes(closure.key().escalationId(), TargetSystem.LEDGER))
                      .isZero();
                })
            .count();
    assertThat(waiting).isEqualTo(1);

    drain(engine);
    assertEachCompletedExactlyOnce(escalations);
  }

  @Test
  void flakyTargetsUnderABatchStillCompleteEveryClosureExactlyOnce() {
    CloseoutEngine engine = engine(StepCommitListener.NONE);
    List<CleanEscalation> escalations = receive(engine, 40);
    sandbox.injectFault(TargetSystem.TRACKER, FaultKind.TIMEOUT, 5);
    sandbox.injectFault(TargetSystem.LEDGER, FaultKind.CONFLICT, 7);
    sandbox.injectFault(TargetSystem.QUEUE, FaultKind.UNAVAILABLE, 4);
    sandbox.injectFault(TargetSystem.NOTIFICATION, FaultKind.TIMEOUT, 3);
    sandbox.injectFault(TargetSystem.REVIEW, FaultKind.UNAVAILABLE, 2);

    drain(engine);

    assertEachCompletedExactlyOnce(escalations);
  }

  @Test
  void aWorkerKilledMidBatchIsResumedByItsSuccessorWithoutDoubleWrites() {
    CloseoutEngine dying =
        engine(
            (key, step) -> {
              if (step == Step.ARCHIVE_LINK) {
                throw new KilledWorker();
              }
            });
    List<CleanEscalation> escalations = receive(dying, 20);

    assertThatThrownBy(dying::runDue).isInstanceOf(KilledWorker.class);

    CloseoutEngine successor = engine(StepCommitListener.NONE);
    assertThat(successor.recoverAfterRestart()).isPositive();
    drain(successor);
    assertEachCompletedExactlyOnce(escalations);
  }

  @Test
  void aTargetsRetryAfterIsHonouredWhenItIsLongerThanTheBackoff() {
    SandboxSystems sandboxTargets = sandbox;
    var ports = sandboxTargets.ports();
    AtomicInteger refusals = new AtomicInteger();
    EscalationTracker busyTracker =
        new DelegatingTracker(ports.tracker()) {
          @Override
          public java.util.Optional<BookkeepingRecord> findByEscalation(
              com.closeout.domain.EscalationId escalationId) {
            if (refusals.getAndIncrement() == 0) {
              throw new TargetUnavailableException(
                  TargetSystem.TRACKER, "429", false, Duration.ofMinutes(10));
            }
            return super.findByEscalation(escalationId);
          }
        };
    CloseoutEngine engine =
        new CloseoutEngine(
            new TargetPorts(
                ports.review(),
                busyTracker,
                ports.ledger(),
                ports.queue(),
                ports.archive(),
                ports.coordinator()),
            stores,
            clock,
            EngineSettings.defaults(),
            "batch-worker",
            StepCommitListener.NONE,
            new SplittableRandom(5),
            null);
    Instant now = clock.instant();
    List<CleanEscalation> escalations = receive(engine, 1);

    engine.runDue();

    Closure waiting =
        stores.closures().find(new ClosureKey(escalations.get(0).id(), 1)).orElseThrow();
    assertThat(waiting.status()).isEqualTo(ClosureStatus.PENDING);
    assertThat(waiting.nextAttemptAt()).isAfterOrEqualTo(now.plus(Duration.ofMinutes(10)));
    drain(engine);
    assertEachCompletedExactlyOnce(escalations);
  }

  @Test
  void aSlowTargetForOneClosureDoesNotHoldTheRestOfItsBatch() {
    var ports = sandbox.ports();
    AtomicInteger slowCalls = new AtomicInteger();
    EscalationTracker slowForOne =
        new DelegatingTracker(ports.tracker()) {
          @Override
          public java.util.Optional<BookkeepingRecord> findByEscalation(
              com.closeout.domain.EscalationId escalationId) {
            if (escalationId.value().equals("ESC-000") && slowCalls.getAndIncrement() == 0) {
              answerLate();
            }
            return super.findByEscalation(escalationId);
          }
        };
    CloseoutEngine engine =
        engineWithShortDeadline(
            new TargetPorts(
                ports.review(),
                slowForOne,
                ports.ledger(),
                ports.queue(),
                ports.archive(),
                ports.coordinator()));
    List<CleanEscalation> escalations = receive(engine, 6);

    engine.runDue();

    assertCompleted(escalations.subList(1, 6));
    assertThat(
            stores
                .closures()
                .find(new ClosureKey(escalations.get(0).id(), 1))
                .orElseThrow()
                .status())
        .isEqualTo(ClosureStatus.PENDING);
    drain(engine);
    assertEachCompletedExactlyOnce(escalations);
  }

  @Test
  void aBatchHandsEachClosureToTheExecutorFiveTimesOnItsWayThroughTheSteps() {
    AtomicInteger handedOver = new AtomicInteger();
    CloseoutEngine engine =
        new CloseoutEngine(
            sandbox.ports(),
            stores,
            clock,
            EngineSettings.defaults(),
            "batch-worker",
            StepCommitListener.NONE,
            new SplittableRandom(5),
            task -> {
              handedOver.incrementAndGet();
              pool.execute(task);
            });
    List<CleanEscalation> escalations = receive(engine, 2);

    engine.runDue();

    // Verification with the syncs' reads; the syncs' writes with the archive links' and the
    // queue's reads; their writes; the notice's read; its write.
    assertThat(handedOver).hasValue(2 * 5);
    assertEachCompletedExactlyOnce(escalations);
  }

  @Test
  void aSlowReadOfTheNextPhaseKeepsTheWritesBeforeItAndHoldsTheBatchForOneDeadline() {
    var ports = sandbox.ports();
    PostReviewQueue queue = ports.queue();
    AtomicInteger slowCalls = new AtomicInteger();
    AtomicBoolean trackerSynced = new AtomicBoolean();
    EscalationTracker tracker =
        new DelegatingTracker(ports.tracker()) {
          @Override
          public WriteResult setReviewState(
              String recordId, ReviewState state, long expectedRevision, IdempotencyKey key) {
            WriteResult written = super.setReviewState(recordId, state, expectedRevision, key);
            if (key.value().startsWith("ESC-000:")) {
              trackerSynced.set(true);
            }
            return written;
          }
        };
    // Read once in verification, then after the syncs' writes, in the task that made them.
    PostReviewQueue slowForOne =
        new PostReviewQueue() {
          @Override
          public java.util.Optional<QueueItem> findByEscalation(
              com.closeout.domain.EscalationId escalationId) {
            if (escalationId.value().equals("ESC-000")
                && trackerSynced.get()
                && slowCalls.getAndIncrement() == 0) {
              answerLate();
            }
            return queue.findByEscalation(escalationId);
          }

          @Override
          public WriteResult close(
              String itemId, Instant closedAt, long expectedRevision, IdempotencyKey key) {
            return queue.close(itemId, closedAt, expectedRevision, key);
          }

          @Override
          public WriteResult restoreOpen(String itemId, long expectedRevision, IdempotencyKey key) {
            return queue.restoreOpen(itemId, expectedRevision, key);
          }
        };
    CloseoutEngine engine =
        engineWithShortDeadline(
            new TargetPorts(
                ports.review(),
                tracker,
                ports.ledger(),
                slowForOne,
                ports.archive(),
                ports.coordinator()));
    List<CleanEscalation> escalations = receive(engine, 6);

    engine.runDue();

    assertCompleted(escalations.subList(1, 6));
    Closure slow = stores.closures().find(new ClosureKey(escalations.get(0).id(), 1)).orElseThrow();
    assertThat(slow.status()).isEqualTo(ClosureStatus.PENDING);
    assertThat(stores.closures().steps(slow.id()))
        .filteredOn(
            progress -> progress.step() == Step.TRACKER_SYNC || progress.step() == Step.LEDGER_SYNC)
        .as("its syncs were written before the slow read: their results are kept")
        .hasSize(2)
        .allSatisfy(progress -> assertThat(progress.status()).isEqualTo(StepStatus.DONE));
    assertThat(stores.closures().steps(slow.id()))
        .filteredOn(progress -> progress.step() == Step.QUEUE_CLOSE)
        .allSatisfy(progress -> assertThat(progress.status().isFinished()).isFalse());
    drain(engine);
    assertEachCompletedExactlyOnce(escalations);
  }

  /** A target's answer two seconds late: far past the tests' 300 ms phase deadline. */
  private static void answerLate() {
    try {
      Thread.sleep(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** An engine on the test's stores and pool whose phase deadline is 300 ms. */
  private CloseoutEngine engineWithShortDeadline(TargetPorts ports) {
    return new CloseoutEngine(
        ports,
        stores,
        clock,
        EngineSettings.defaults().withPhaseDeadline(Duration.ofMillis(300)),
        "batch-worker",
        StepCommitListener.NONE,
        new SplittableRandom(5),
        pool);
  }

  private void assertCompleted(List<CleanEscalation> escalations) {
    for (CleanEscalation escalation : escalations) {
      assertThat(stores.closures().find(new ClosureKey(escalation.id(), 1)).orElseThrow().status())
          .as(escalation.id().value())
          .isEqualTo(ClosureStatus.COMPLETED);
    }
  }

  /** A tracker that hands every call to another; tests override the call they make misbehave. */
  private static class DelegatingTracker implements EscalationTracker {
    private final EscalationTracker delegate;

    DelegatingTracker(EscalationTracker delegate) {
      this.delegate = delegate;
    }

    @Override
    public java.util.Optional<BookkeepingRecord> findByEscalation(
        com.closeout.domain.EscalationId escalationId) {
      return delegate.findByEscalation(escalationId);
    }

    @Override
    public WriteResult setReviewState(
        String recordId, ReviewState state, long expectedRevision, IdempotencyKey key) {
      return delegate.setReviewState(recordId, state, expectedRevision, key);
    }

    @Override
    public WriteResult linkArchiveRef(
        String recordId, ArchiveRef ref, long expectedRevision, IdempotencyKey key) {
      return delegate.linkArchiveRef(recordId, ref, expectedRevision, key);
    }

    @Override
    public WriteResult unlinkArchiveRef(
        String recordId, String uri, long expectedRevision, IdempotencyKey key) {
      return delegate.unlinkArchiveRef(recordId, uri, expectedRevision, key);
    }
  }

  private static final class KilledWorker extends Error {}
}
