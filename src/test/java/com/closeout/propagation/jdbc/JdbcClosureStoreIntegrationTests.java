package com.closeout.propagation.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.ClosureKey;
import com.closeout.domain.ClosureStatus;
import com.closeout.domain.DispositionEvent;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.EventId;
import com.closeout.domain.EventOutcome;
import com.closeout.domain.Step;
import com.closeout.domain.StepStatus;
import com.closeout.domain.TargetSnapshot;
import com.closeout.domain.TargetSystem;
import com.closeout.intake.InboxEntry;
import com.closeout.propagation.CloseoutStores;
import com.closeout.propagation.Closure;
import com.closeout.propagation.ClosureChange;
import com.closeout.propagation.ClosureStore;
import com.closeout.propagation.ConcurrentClosureChangeException;
import com.closeout.propagation.EscalationLeasedMeanwhileException;
import com.closeout.propagation.NewClosure;
import com.closeout.propagation.StepProgress;
import com.closeout.testsupport.Deliveries;
import com.closeout.testsupport.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class JdbcClosureStoreIntegrationTests {
  private static final Instant T0 = Instant.parse("2026-11-20T10:15:00.123456789Z");
  private static final Instant FINALIZED_AT = Instant.parse("2026-11-20T10:14:58Z");
  private static final Instant T0_STORED = T0.truncatedTo(ChronoUnit.MICROS);

  private IsolatedSchema schema;
  private CloseoutStores stores;
  private ClosureStore closures;
  private JdbcClient sql;

  @BeforeEach
  void freshSchema() {
    schema = TestDatabase.freshSchema("closures");
    stores = JdbcCloseoutStores.create(schema.dataSource(), Clock.fixed(T0, ZoneOffset.UTC));
    closures = stores.closures();
    sql = JdbcClient.create(schema.dataSource());
  }

  @AfterEach
  void dropSchema() {
    schema.close();
  }

  @Test
  void insertStartsPendingClosureDueAtOnceWithSixPendingSteps() {
    Closure closure = start("ESC-1042", 3, T0);

    assertThat(closure.key()).isEqualTo(key("ESC-1042", 3));
    assertThat(closure.status()).isEqualTo(ClosureStatus.PENDING);
    assertThat(closure.revision()).isEqualTo(1);
    assertThat(closure.nextAttemptAt()).isEqualTo(T0_STORED);
    assertThat(closure.createdAt()).isEqualTo(T0_STORED);
    assertThat(closure.eventId()).isEqualTo(new EventId("evt-ESC-1042-3"));
    assertThat(closure.eventEpisodeId()).isEqualTo(new EpisodeId("EP-7"));
    assertThat(closure.eventFinalizedAt()).isEqualTo(FINALIZED_AT);
    assertThat(closure.eventArchiveRefs()).isEqualTo(event("ESC-1042", 3, "x").archiveRefs());
    assertThat(closure.requestedActions()).containsExactly("REFUND");
    assertThat(closure.leaseOwner()).isNull();

    List<StepProgress> steps = closures.steps(closure.id());
    assertThat(steps).extracting(StepProgress::step).containsExactly(Step.values());
    assertThat(steps).allMatch(step -> step.status() == StepStatus.PENDING);
    assertThat(steps)
        .extracting(StepProgress::idempotencyKey)
        .containsExactlyElementsOf(
            List.of(Step.values()).stream().map(closure.key()::keyFor).toList());
    assertThat(steps.get(0).idempotencyKey().value()).isEqualTo("ESC-1042:v3:TRACKER_SYNC");
    assertThat(steps).allMatch(step -> step.prior().isEmpty() && step.finishedAt() == null);
  }

  @Test
  void aClosureLeasedAsItStartsIsRunningForItsOwnerWithTheStepRowsTheStatementInserted() {
    ClosureStore.Acceptance accepted = startLeasedToWorkerA("ESC-1", 1, "evt-a");

    Closure started = accepted.started().orElseThrow();
    ClosureStore.Claimed leased = accepted.leased().orElseThrow();
    assertThat(leased.closure()).isEqualTo(started);
    assertThat(closures.find(started.id())).contains(started);
    assertThat(started.status()).isEqualTo(ClosureStatus.RUNNING);
    assertThat(started.leaseOwner()).isEqualTo("worker-a");
    assertThat(started.leaseUntil()).isEqualTo(T0_STORED.plusSeconds(120));
    assertThat(started.revision()).isEqualTo(1);
    // What the worker is handed is what a claim would have read.
    assertThat(leased.steps()).isEqualTo(closures.steps(started.id()));
    assertThat(closures.claimDueWithSteps(T0, "worker-b", T0.plusSeconds(120), 10)).isEmpty();
  }

  @Test
  void intakeLeasesOnlyWhatAClaimRightAfterWouldTakeInTheSameOrder() {
    start("ESC-WAITING", 1, T0.plusSeconds(60)); // not due yet
    Closure running = start("ESC-RUNNING", 1, T0);
    closures.claim(running, ClosureStatus.RUNNING, "worker-b", T0.plusSeconds(120)).orElseThrow();

    List<ClosureStore.Acceptance> accepted =
        closures.acceptAndStartAll(
            List.of(
                Deliveries.of(new NewClosure(event("ESC-WAITING", 2, "evt-a"), T0)),
                Deliveries.of(new NewClosure(event("ESC-RUNNING", 2, "evt-b"), T0)),
                Deliveries.of(new NewClosure(event("ESC-1", 1, "evt-c"), T0)),
                Deliveries.of(new NewClosure(event("ESC-1", 2, "evt-d"), T0)),
                Deliveries.of(new NewClosure(event("ESC-2", 1, "evt-e"), T0)),
                Deliveries.of(new NewClosure(event("ESC-3", 1, "evt-f"), T0))),
            new ClosureStore.Lease("worker-a", T0, T0.plusSeconds(120), 2));

    // Another version waiting or running, a second version in the group, and past the limit:
    // PENDING, for the claims.
    assertThat(accepted).allMatch(answer -> answer.started().isPresent());
    assertThat(accepted)
        .extracting(answer -> answer.started().orElseThrow().status())
        .containsExactly(
            ClosureStatus.PENDING,
            ClosureStatus.PENDING,
            ClosureStatus.RUNNING,
            ClosureStatus.PENDING,
            ClosureStatus.RUNNING,
            ClosureStatus.PENDING);
    assertThat(accepted)
        .extracting(answer -> answer.leased().isPresent())
        .containsExactly(false, false, true, false, true, false);
  }

  @Test
  void intakeLeasesNothingWhileAClosureIsDueAndWaitingForAClaim() {
    start("ESC-DUE", 1, T0.minusSeconds(1));

    ClosureStore.Acceptance accepted = startLeasedToWorkerA("ESC-1", 1, "evt-a");

    assertThat(accepted.started().orElseThrow().status()).isEqualTo(ClosureStatus.PENDING);
    assertThat(accepted.leased()).isEmpty();
    assertThat(closures.claimDue(T0, "worker-a", T0.plusSeconds(120), 10))
        .extracting(claimed -> claimed.key().escalationId().value())
        .containsExactly("ESC-DUE", "ESC-1");
  }

  @Test
  void whatIsDueIsJudgedAtTheLeasesTimeNotTheStoresClock() {
    start("ESC-LATER", 1, T0.plusSeconds(30));
    ClosureStore.Lease leaseAMinuteOn =
        new ClosureStore.Lease("worker-a", T0.plusSeconds(60), T0.plusSeconds(180), 4);

    ClosureStore.Acceptance accepted =
        closures
            .acceptAndStartAll(
                List.of(Deliveries.of(new NewClosure(event("ESC-1", 1, "evt-a"), T0))),
                leaseAMinuteOn)
            .get(0);

    // Due at T0 + 30 s: waiting for a claim a minute on, though the store's clock says T0.
    assertThat(accepted.leased()).isEmpty();
  }

  @Test
  void intakeWhoseLeaseRacedAnotherOnTheSameEscalationFailsWithNothingStored() throws Exception {
    CountDownLatch firstWrote = new CountDownLatch(1);
    CountDownLatch secondWaits = new CountDownLatch(1);
    ExecutorService threads = Executors.newSingleThreadExecutor();
    try {
      Future<Closure> first =
          threads.submit(
              () ->
                  stores
                      .transactions()
                      .inTransaction(
                          () -> {
                            Closure leased =
                                startLeasedToWorkerA("ESC-1", 1, "evt-a").started().orElseThrow();
                            firstWrote.countDown();
                            await(secondWaits);
                            return leased;
                          }));
      await(firstWrote);
      // The second transaction waits on the first's entry in the one-lease-per-escalation index.
      Thread release =
          new Thread(
              () -> {
                Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .until(
                        () ->
                            sql.sql(
                                        """
                                    SELECT count(*) FROM pg_stat_activity
                                     WHERE wait_event_type = 'Lock' AND query LIKE '%WITH input AS MATERIALIZED%'
                                    """)
                                    .query(Long.class)
                                    .single()
                                > 0);
                secondWaits.countDown();
              });
      release.start();

      assertThatThrownBy(() -> startLeasedToWorkerA("ESC-1", 2, "evt-b"))
          .isInstanceOf(EscalationLeasedMeanwhileException.class);

      release.join();
      assertThat(first.get().status()).isEqualTo(ClosureStatus.RUNNING);
      assertThat(closures.find(key("ESC-1", 2))).isEmpty();
      assertThat(stores.inbox().all()).extracting(InboxEntry::eventId).containsExactly("evt-a");
      assertThat(
              closures.acceptAndStartAll(
                  List.of(Deliveries.of(new NewClosure(event("ESC-1", 2, "evt-b"), T0)))))
          .extracting(answer -> answer.started().orElseThrow().status())
          .containsExactly(ClosureStatus.PENDING);
    } finally {
      secondWaits.countDown();
      threads.shutdownNow();
    }
  }

  /** One delivery at T0 whose closure intake may lease to worker-a for two minutes. */
  private ClosureStore.Acceptance startLeasedToWorkerA(
      String escalation, int version, String eventId) {
    return closures
        .acceptAndStartAll(
            List.of(Deliveries.of(new NewClosure(event(escalation, version, eventId), T0))),
            new ClosureStore.Lease("worker-a", T0, T0.plusSeconds(120), 4))
        .get(0);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("waited too long");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void secondInsertForSameEscalationAndVersionIsRefusedAndKeepsTheFirst() {
    Closure first = start("ESC-1", 1, T0);

    var again =
        Deliveries.start(
            closures, new NewClosure(event("ESC-1", 1, "evt-other"), T0.plusSeconds(5)));

    assertThat(again).isEmpty();
    assertThat(closures.find(key("ESC-1", 1))).contains(first);
    assertThat(sql.sql("SELECT count(*) FROM closure_steps").query(Long.class).single())
        .isEqualTo(6);
  }

  @Test
  void aGroupStartsEachNewKeyOnceWithItsOwnSixStepsAndSkipsKeysAlreadyStarted() {
    Closure existing = start("ESC-1", 1, T0);

    List<ClosureStore.Acceptance> accepted =
        closures.acceptAndStartAll(
            List.of(
                Deliveries.of(new NewClosure(event("ESC-2", 1, "evt-a"), T0)),
                Deliveries.of(new NewClosure(event("ESC-1", 1, "evt-b"), T0)),
                Deliveries.of(new NewClosure(event("ESC-3", 2, "evt-c"), T0)),
                Deliveries.of(new NewClosure(event("ESC-2", 1, "evt-d"), T0))));
    List<Optional<Closure>> started =
        accepted.stream().map(ClosureStore.Acceptance::started).toList();

    assertThat(accepted).allMatch(ClosureStore.Acceptance::accepted);
    assertThat(started).extracting(Optional::isPresent).containsExactly(true, false, true, false);
    assertThat(started.get(0).orElseThrow().eventId()).isEqualTo(new EventId("evt-a"));
    assertThat(closures.find(key("ESC-1", 1))).contains(existing);
    for (Closure closure : List.of(started.get(0).orElseThrow(), started.get(2).orElseThrow())) {
      assertThat(closures.steps(closure.id()))
          .extracting(StepProgress::idempotencyKey)
          .containsExactlyElementsOf(
              List.of(Step.values()).stream().map(closure.key()::keyFor).toList());
    }
    assertThat(sql.sql("SELECT count(*) FROM closure_steps").query(Long.class).single())
        .isEqualTo(18);
  }

  @Test
  void aGroupAcceptsEachEventIdOnceAndEachStartedClosuresInboxRowNamesIt() {
    start("ESC-1", 1, T0);
    InboxEntry comment =
        new InboxEntry(
            "evt-note",
            "support.review.comment.added",
            "ESC-9",
            null,
            T0_STORED,
            EventOutcome.IGNORED,
            null);

    List<ClosureStore.Acceptance> accepted =
        closures.acceptAndStartAll(
            List.of(
                Deliveries.of(new NewClosure(event("ESC-2", 1, "evt-a"), T0)),
                new ClosureStore.Delivery(comment, null),
                Deliveries.of(new NewClosure(event("ESC-2", 1, "evt-a"), T0)),
                Deliveries.of(new NewClosure(event("ESC-1", 1, "evt-ESC-1-1"), T0)),
                Deliveries.of(new NewClosure(event("ESC-1", 1, "evt-again"), T0))));

    // evt-a twice: the first accepted; evt-ESC-1-1 was accepted before; evt-again re-emits ESC-1
    // v1.
    assertThat(accepted)
        .extracting(ClosureStore.Acceptance::accepted)
        .containsExactly(true, true, false, false, true);
    assertThat(accepted)
        .extracting(answer -> answer.started().isPresent())
        .containsExactly(true, false, false, false, false);
    Closure started = accepted.get(0).started().orElseThrow();
    Map<String, InboxEntry> inbox =
        stores.inbox().all().stream()
            .collect(Collectors.toMap(InboxEntry::eventId, Function.identity()));
    assertThat(inbox.get("evt-a").closureId()).isEqualTo(started.id());
    assertThat(inbox.get("evt-a").outcome()).isEqualTo(EventOutcome.CLOSURE_STARTED);
    assertThat(inbox.get("evt-note")).isEqualTo(comment);
    // Left for intake to settle as a duplicate, in the same transaction.
    assertThat(inbox.get("evt-again").closureId()).isNotNull().isNotEqualTo(started.id());
    assertThat(closures.find(inbox.get("evt-again").closureId())).isEmpty();
    assertThat(sql.sql("SELECT count(*) FROM closure_steps").query(Long.class).single())
        .isEqualTo(12);
  }

  @Test
  void claimLeasesThePendingClosureAndBumpsItsRevision() {
    Closure pending = start("ESC-1", 1, T0);

    Closure running =
        closures
            .claim(pending, ClosureStatus.RUNNING, "worker-a", T0.plusSeconds(120))
            .orElseThrow();

    assertThat(running.status()).isEqualTo(ClosureStatus.RUNNING);
    assertThat(running.revision()).isEqualTo(pending.revision() + 1);
    assertThat(running.leaseOwner()).isEqualTo("worker-a");
    assertThat(running.leaseUntil()).isEqualTo(T0_STORED.plusSeconds(120));
    assertThat(closures.find(pending.id())).contains(running);
  }

  @Test
  void claimWithStaleRevisionIsRefusedAndChangesNothing() {
    Closure pending = start("ESC-1", 1, T0);
    Closure running =
        closures
            .claim(pending, ClosureStatus.RUNNING, "worker-a", T0.plusSeconds(120))
            .orElseThrow();
    Closure released =
        closures.change(running, ClosureChange.to(ClosureStatus.PENDING, T0.plusSeconds(1)));

    assertThat(closures.claim(pending, ClosureStatus.RUNNING, "worker-b", T0.plusSeconds(120)))
        .isEmpty();
    assertThat(closures.find(pending.id())).contains(released);
  }

  @Test
  void secondClaimOnSameEscalationIsRefusedWhileFirstIsLeasedAndAllowedAfterRelease() {
    Closure v1 = start("ESC-1", 1, T0);
    Closure v2 = start("ESC-1", 2, T0);
    Closure runningV1 =
        closures.claim(v1, ClosureStatus.RUNNING, "worker-a", T0.plusSeconds(120)).orElseThrow();

    assertThat(closures.claim(v2, ClosureStatus.RUNNING, "worker-b", T0.plusSeconds(120)))
        .isEmpty();
    assertThat(closures.find(v2.id())).contains(v2);

    closures.change(runningV1, ClosureChange.to(ClosureStatus.COMPLETED, T0.plusSeconds(2)));

    assertThat(closures.claim(v2, ClosureStatus.RUNNING, "worker-b", T0.plusSeconds(120)))
        .hasValueSatisfying(claimed -> assertThat(claimed.leaseOwner()).isEqualTo("worker-b"));
  }

  @Test
  void leaseOnOneEscalationDoesNotBlockAnother() {
    Closure esc1 = start("ESC-1", 1, T0);
    Closure esc2 = start("ESC-2", 1, T0);
    closures.claim(esc1, ClosureStatus.RUNNING, "worker-a", T0.plusSeconds(120)).orElseThrow();

    assertThat(closures.claim(esc2, ClosureStatus.RUNNING, "worker-a", T0.plusSeconds(120)))
        .isPresent();
  }

  @Test
  void refusedClaimDoesNotAbortTheEnclosingTransaction() {
    Closure v1 = start("ESC-1", 1, T0);
    Closure v2 = start("ESC-1", 2, T0);
    Closure other = start("ESC-2", 1, T0);
    closures.claim(v1, ClosureStatus.RUNNING, "worker-a", T0.plusSeconds(120)).orElseThrow();

    var claimedInside =
        stores
            .transactions()
            .inTransaction(
                () -> {
                  assertThat(
                          closures.claim(
                              v2, ClosureStatus.RUNNING, "worker-b", T0.plusSeconds(120)))
                      .isEmpty();
                  return closures.claim(
                      other, ClosureStatus.RUNNING, "worker-b", T0.plusSeconds(120));
                });

    assertThat(claimedInside).isPresent();
    assertThat(closures.find(other.id()).orElseThrow().status()).isEqualTo(ClosureStatus.RUNNING);
  }

  @Test
  void workDoneInsideAFailedTransactionIsRolledBack() {
    Closure pending = start("ESC-1", 1, T0);

    assertThatThrownBy(
            () ->
                stores
                    .transactions()
                    .inTransaction(
                        () -> {
                          closures.claim(
                              pending, ClosureStatus.RUNNING, "worker-a", T0.plusSeconds(120));
                          throw new IllegalStateException("boom");
                        }))
        .hasMessage("boom");

    assertThat(closures.find(pending.id())).contains(pending);
  }

  @Test
  void changeWithStaleRevisionThrowsAndWritesNothing() {
    Closure pending = start("ESC-1", 1, T0);
    Closure running =
        closures
            .claim(pending, ClosureStatus.RUNNING, "worker-a", T0.plusSeconds(120))
            .orElseThrow();
    Closure completed =
        closures.change(running, ClosureChange.to(ClosureStatus.COMPLETED, T0.plusSeconds(1)));

    assertThatThrownBy(
            () ->
                closures.change(
                    running, ClosureChange.to(ClosureStatus.PENDING, T0.plusSeconds(2))))
        .isInstanceOf(ConcurrentClosureChangeException.class);
    assertThat(closures.find(pending.id())).contains(completed);
  }

  @Test
  void changeRefusesAnIllegalTransitionBeforeTouchingTheRow() {
    Closure pending = start("ESC-1", 1, T0);

    assertThatThrownBy(
            () -> closures.change(pending, ClosureChange.to(ClosureStatus.COMPLETED, T0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("PENDING to COMPLETED");
    assertThat(closures.find(pending.id())).contains(pending);
  }

  @Test
  void changeIntoALeasedStatusMustGoThroughClaim() {
    Closure running =
        closures
            .claim(start("ESC-1", 1, T0), ClosureStatus.RUNNING, "w", T0.plusSeconds(60))
            .orElseThrow();
    Closure completed = closures.change(running, ClosureChange.to(ClosureStatus.COMPLETED, T0));

    assertThatThrownBy(
            () -> closures.change(completed, ClosureChange.to(ClosureStatus.REVERTING, T0)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void changeSetsGivenFieldsKeepsTheOthersAndDropsTheLease() {
    Closure running =
        closures
            .claim(start("ESC-1", 1, T0), ClosureStatus.RUNNING, "worker-a", T0.plusSeconds(120))
            .orElseThrow();
    Closure counted =
        closures.change(
            running, new ClosureChange(null, null, 2, null, false, null, T0.plusSeconds(1)));
    Instant retryAt = T0.plusSeconds(30);

    Closure waiting =
        closures.change(
            counted,
            ClosureChange.to(ClosureStatus.PENDING, T0.plusSeconds(3))
                .withAttempts(1)
                .dueAt(retryAt)
                .withLastError("tracker unavailable"));

    assertThat(counted.status()).isEqualTo(ClosureStatus.RUNNING);
    assertThat(counted.leaseOwner()).isEqualTo("worker-a");
    assertThat(counted.sourceBehindReads()).isEqualTo(2);
    assertThat(waiting.status()).isEqualTo(ClosureStatus.PENDING);
    assertThat(waiting.revision()).isEqualTo(counted.revision() + 1);
    assertThat(waiting.attempts()).isEqualTo(1);
    assertThat(waiting.sourceBehindReads()).isEqualTo(2);
    assertThat(waiting.nextAttemptAt()).isEqualTo(retryAt.truncatedTo(ChronoUnit.MICROS));
    assertThat(waiting.leaseOwner()).isNull();
    assertThat(waiting.leaseUntil()).isNull();
    assertThat(waiting.updatedAt()).isEqualTo(T0_STORED.plusSeconds(3));
    assertThat(
            sql.sql("SELECT last_error FROM closures WHERE id = :id")
                .param("id", waiting.id())
                .query(String.class)
                .single())
        .isEqualTo("tracker unavailable");
  }

  @Test
  void expiredLeasesAreGivenBackRunningAsPendingDueNowRevertingStillReverting() {
    Closure running =
        closures
            .claim(start("ESC-1", 1, T0), ClosureStatus.RUNNING, "dead", T0.plusSeconds(60))
            .orElseThrow();
    Closure reverting = revertingClosure("ESC-2", "dead", T0.plusSeconds(60));
    Closure fresh =
        closures
            .claim(start("ESC-3", 1, T0), ClosureStatus.RUNNING, "alive", T0.plusSeconds(600))
            .orElseThrow();
    Instant now = T0.plusSeconds(120);

    assertThat(closures.releaseExpiredLeases(now)).isEqualTo(2);

    Closure given = closures.find(running.id()).orElseThrow();
    assertThat(given.status()).isEqualTo(ClosureStatus.PENDING);
    assertThat(given.nextAttemptAt()).isEqualTo(now.truncatedTo(ChronoUnit.MICROS));
    assertThat(given.leaseOwner()).isNull();
    assertThat(closures.claimDue(now, "successor", now.plusSeconds(60), 10))
        .extracting(Closure::id)
        .containsExactly(running.id());
    Closure stillReverting = closures.find(reverting.id()).orElseThrow();
    assertThat(stillReverting.status()).isEqualTo(ClosureStatus.REVERTING);
    assertThat(stillReverting.leaseOwner()).isNull();
    assertThat(closures.find(fresh.id())).contains(fresh);
  }

  @Test
  void revertWhoseLeaseWasReleasedCanBeTakenOverAndStillBlocksItsEscalation() {
    Closure reverting = revertingClosure("ESC-2", "dead", T0.plusSeconds(60));
    Closure v2 = start("ESC-2", 2, T0);
    closures.releaseExpiredLeases(T0.plusSeconds(120));
    Closure released = closures.find(reverting.id()).orElseThrow();

    assertThat(closures.claim(v2, ClosureStatus.RUNNING, "w", T0.plusSeconds(600))).isEmpty();
    assertThat(closures.claim(released, ClosureStatus.REVERTING, "operator", T0.plusSeconds(600)))
        .hasValueSatisfying(c -> assertThat(c.leaseOwner()).isEqualTo("operator"));
  }

  @Test
  void heldLeaseCannotBeClaimedAgainEvenAtTheSameRevision() {
    Closure reverting = revertingClosure("ESC-2", "worker-a", T0.plusSeconds(60));

    assertThat(closures.claim(reverting, ClosureStatus.REVERTING, "worker-b", T0.plusSeconds(60)))
        .isEmpty();
  }

  @Test
  void releaseLeasesOfGivesBackOnlyThatOwnersClosures() {
    Closure mine =
        closures
            .claim(start("ESC-1", 1, T0), ClosureStatus.RUNNING, "worker-a", T0.plusSeconds(600))
            .orElseThrow();
    Closure theirs =
        closures
            .claim(start("ESC-2", 1, T0), ClosureStatus.RUNNING, "worker-b", T0.plusSeconds(600))
            .orElseThrow();

    assertThat(closures.releaseLeasesOf("worker-a", T0.plusSeconds(5))).isEqualTo(1);

    assertThat(closures.find(mine.id()).orElseThrow().status()).isEqualTo(ClosureStatus.PENDING);
    assertThat(closures.find(theirs.id())).contains(theirs);
  }

  @Test
  void workerWhoseLeaseWasReleasedLosesItsNextChange() {
    Closure running =
        closures
            .claim(start("ESC-1", 1, T0), ClosureStatus.RUNNING, "slow", T0.plusSeconds(60))
            .orElseThrow();
    closures.releaseExpiredLeases(T0.plusSeconds(61));

    assertThatThrownBy(
            () ->
                closures.change(
                    running, ClosureChange.to(ClosureStatus.COMPLETED, T0.plusSeconds(62))))
        .isInstanceOf(ConcurrentClosureChangeException.class);
  }

  @Test
  void nextDueAtNamesTheSoonestPendingClosureAndIgnoresLeasedOnes() {
    start("ESC-1", 1, T0.plusSeconds(30));
    start("ESC-2", 1, T0.plusSeconds(10));
    closures.claim(start("ESC-5", 1, T0), ClosureStatus.RUNNING, "w", T0.plusSeconds(60));

    assertThat(closures.nextDueAt()).contains(T0_STORED.plusSeconds(10));
  }

  @Test
  void nextDueAtIsEmptyWithNothingPending() {
    assertThat(closures.nextDueAt()).isEmpty();
  }

  @Test
  void forEscalationListsItsClosuresOldestVersionFirst() {
    Closure v2 = start("ESC-1", 2, T0);
    Closure v1 = start("ESC-1", 1, T0);
    start("ESC-2", 1, T0);

    assertThat(closures.forEscalation(new EscalationId("ESC-1"))).containsExactly(v1, v2);
  }

  @Test
  void priorValuesAreRecordedOnceAndTheFirstRecordWins() {
    Closure closure = start("ESC-1", 1, T0);
    StepProgress tracker = closures.step(closure.id(), Step.TRACKER_SYNC).orElseThrow();
    List<TargetSnapshot> before = List.of(snapshot("IN_REVIEW", null, List.of(), 4));

    StepProgress recorded = closures.recordPrior(tracker, before);
    StepProgress again =
        closures.recordPrior(recorded, List.of(snapshot("REVIEW_COMPLETE", 1, List.of(), 5)));

    assertThat(recorded.prior()).isEqualTo(before);
    assertThat(recorded.revision()).isEqualTo(tracker.revision());
    assertThat(again).isEqualTo(recorded);
    assertThat(closures.step(closure.id(), Step.TRACKER_SYNC)).contains(recorded);
    assertThatThrownBy(
            () ->
                closures.recordPrior(
                    tracker, List.of(snapshot("REVIEW_COMPLETE", 1, List.of(), 5))))
        .as("read before the first recording")
        .isInstanceOf(ConcurrentClosureChangeException.class);
    assertThat(closures.step(closure.id(), Step.TRACKER_SYNC)).contains(recorded);
  }

  @Test
  void priorRecordOnAStepChangedSinceReadThrows() {
    Closure closure = start("ESC-1", 1, T0);
    StepProgress read = closures.step(closure.id(), Step.QUEUE_CLOSE).orElseThrow();
    closures.finishStep(read, StepStatus.SKIPPED_ALREADY_DONE, List.of(), T0);

    assertThatThrownBy(
            () -> closures.recordPrior(read, List.of(snapshot("OPEN", null, List.of(), 1))))
        .isInstanceOf(ConcurrentClosureChangeException.class);
    assertThat(closures.step(closure.id(), Step.QUEUE_CLOSE).orElseThrow().prior()).isEmpty();
  }

  @Test
  void noPriorValuesAtAllAreRefusedBecauseTheyWouldReadAsNeverRecorded() {
    Closure closure = start("ESC-1", 1, T0);
    StepProgress read = closures.step(closure.id(), Step.QUEUE_CLOSE).orElseThrow();

    assertThatThrownBy(() -> closures.recordPrior(read, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aStepWhosePriorValuesWereRecordedSinceItWasReadIsNotFinishedAlone() {
    Closure closure = start("ESC-1", 1, T0);
    StepProgress readBefore = closures.step(closure.id(), Step.TRACKER_SYNC).orElseThrow();
    StepProgress recorded =
        closures.recordPrior(readBefore, List.of(snapshot("IN_REVIEW", null, List.of(), 4)));

    // Same revision, but read before another worker recorded what the target held and wrote it:
    // "already done" read from the target afterwards is that worker's write, not the target's own.
    assertThat(readBefore.revision()).isEqualTo(recorded.revision());
    assertThatThrownBy(
            () ->
                closures.finishStep(
                    readBefore, StepStatus.SKIPPED_ALREADY_DONE, List.of(), T0.plusSeconds(1)))
        .isInstanceOf(ConcurrentClosureChangeException.class);

    StepProgress done =
        closures.finishStep(
            recorded,
            StepStatus.DONE,
            List.of(snapshot("REVIEW_COMPLETE", 1, List.of(), 5)),
            T0.plusSeconds(1));
    assertThat(done.prior()).isEqualTo(recorded.prior());
    assertThat(closures.step(closure.id(), Step.TRACKER_SYNC)).contains(done);
  }

  @Test
  void aStepWhosePriorValuesWereRecordedSinceItWasReadFailsItsGroupsFinish() {
    Closure closure = start("ESC-1", 1, T0);
    StepProgress readBefore = closures.step(closure.id(), Step.TRACKER_SYNC).orElseThrow();
    StepProgress ledger = closures.step(closure.id(), Step.LEDGER_SYNC).orElseThrow();
    closures.recordPrior(readBefore, List.of(snapshot("IN_REVIEW", null, List.of(), 4)));

    assertThatThrownBy(
            () ->
                closures.finishSteps(
                    List.of(
                        new ClosureStore.StepFinish(
                            readBefore, StepStatus.SKIPPED_ALREADY_DONE, List.of()),
                        new ClosureStore.StepFinish(ledger, StepStatus.DONE, List.of())),
                    T0))
        .isInstanceOf(ConcurrentClosureChangeException.class);
    assertThat(closures.steps(closure.id())).allMatch(step -> step.status() == StepStatus.PENDING);
  }

  @Test
  void aRecordingWhileAnotherTransactionFinishesTheStepWaitsForItAndIsRefused() throws Exception {
    Closure closure = start("ESC-1", 1, T0);
    StepProgress read = closures.step(closure.id(), Step.TRACKER_SYNC).orElseThrow();
    java.util.concurrent.ExecutorService recorder =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try (java.sql.Connection finishing = schema.dataSource().getConnection()) {
      finishing.setAutoCommit(false);
      try (java.sql.Statement statement = finishing.createStatement()) {
        statement.executeUpdate(
            "UPDATE closure_steps SET status = 'SKIPPED_ALREADY_DONE', revision = revision + 1"
                + " WHERE closure_id = "
                + closure.id()
                + " AND step = 'TRACKER_SYNC'");
      }
      java.util.concurrent.Future<StepProgress> recording =
          recorder.submit(
              () -> closures.recordPrior(read, List.of(snapshot("IN_REVIEW", null, List.of(), 4))));
      // The recording reads the step as it was before this transaction; it must wait for it.
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(
              () ->
                  sql.sql(
                              "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                  + " AND query LIKE '%closure_step_priors%'")
                          .query(Long.class)
                          .single()
                      > 0);
      finishing.commit();

      assertThatThrownBy(() -> recording.get(10, java.util.concurrent.TimeUnit.SECONDS))
          .hasCauseInstanceOf(ConcurrentClosureChangeException.class);
    } finally {
      recorder.shutdownNow();
    }
    assertThat(sql.sql("SELECT count(*) FROM closure_step_priors").query(Long.class).single())
        .isZero();
  }

  @Test
  void forgottenPriorValuesAreGoneAndTheStepMovesSoAWorkerHoldingThemNoLongerFinishesIt() {
    Closure closure = start("ESC-1", 1, T0);
    StepProgress tracker = closures.step(closure.id(), Step.TRACKER_SYNC).orElseThrow();
    StepProgress recorded =
        closures.recordPrior(tracker, List.of(snapshot("IN_REVIEW", null, List.of(), 4)));

    List<StepProgress> forgotten = closures.forgetPriors(List.of(recorded));

    assertThat(forgotten.get(0).prior()).isEmpty();
    assertThat(forgotten.get(0).revision()).isEqualTo(recorded.revision() + 1);
    assertThat(closures.step(closure.id(), Step.TRACKER_SYNC)).contains(forgotten.get(0));
    assertThat(sql.sql("SELECT count(*) FROM closure_step_priors").query(Long.class).single())
        .isZero();
    assertThatThrownBy(
            () -> closures.finishStep(recorded, StepStatus.DONE, List.of(), T0.plusSeconds(1)))
        .isInstanceOf(ConcurrentClosureChangeException.class);
    assertThatThrownBy(() -> closures.forgetPriors(List.of(recorded)))
        .isInstanceOf(ConcurrentClosureChangeException.class);
    // Read again, the step is as never attempted: its next recording is the first.
    StepProgress again =
        closures.recordPrior(forgotten.get(0), List.of(snapshot("OPEN", null, List.of(), 7)));
    assertThat(again.prior()).extracting(TargetSnapshot::status).containsExactly("OPEN");
  }

  @Test
  void finishStepIsGuardedByStatusRevisionAndTheStateTable() {
    Closure closure = start("ESC-1", 1, T0);
    StepProgress pending = closures.step(closure.id(), Step.ARCHIVE_LINK).orElseThrow();
    List<TargetSnapshot> written =
        List.of(snapshot("REVIEW_COMPLETE", 1, List.of("archive://a", "archive://b"), 6));

    assertThatThrownBy(() -> closures.finishStep(pending, StepStatus.UNDONE, List.of(), T0))
        .isInstanceOf(IllegalStateException.class);

    StepProgress done = closures.finishStep(pending, StepStatus.DONE, written, T0.plusSeconds(1));
    assertThat(done.status()).isEqualTo(StepStatus.DONE);
    assertThat(done.written()).isEqualTo(written);
    assertThat(done.finishedAt()).isEqualTo(T0_STORED.plusSeconds(1));

    assertThatThrownBy(() -> closures.finishStep(pending, StepStatus.DONE, written, T0))
        .isInstanceOf(ConcurrentClosureChangeException.class);

    StepProgress undone = closures.finishStep(done, StepStatus.UNDONE, null, T0.plusSeconds(9));
    assertThat(undone.status()).isEqualTo(StepStatus.UNDONE);
    assertThat(undone.written()).isEqualTo(written);
  }

  private Closure revertingClosure(String escalation, String owner, Instant leaseUntil) {
    Closure running =
        closures
            .claim(start(escalation, 1, T0), ClosureStatus.RUNNING, owner, leaseUntil)
            .orElseThrow();
    Closure completed = closures.change(running, ClosureChange.to(ClosureStatus.COMPLETED, T0));
    return closures.claim(completed, ClosureStatus.REVERTING, owner, leaseUntil).orElseThrow();
  }

  @Test
  void claimDueLeasesDueClosuresSoonestFirstAndAtMostOnePerEscalation() {
    Closure firstOfA = start("ESC-A", 1, T0.minusSeconds(30));
    start("ESC-A", 2, T0.minusSeconds(20));
    Closure b = start("ESC-B", 1, T0.minusSeconds(10));
    start("ESC-C", 1, T0.plusSeconds(60)); // not due yet

    List<Closure> claimed = closures.claimDue(T0, "w1", T0.plusSeconds(120), 10);

    assertThat(claimed).extracting(Closure::id).containsExactly(firstOfA.id(), b.id());
    assertThat(claimed)
        .allSatisfy(
            c -> {
              assertThat(c.status()).isEqualTo(ClosureStatus.RUNNING);
              assertThat(c.leaseOwner()).isEqualTo("w1");
              assertThat(c.revision()).isEqualTo(2);
            });
  }

  @Test
  void aClaimWithStepsReadsEachClaimedClosuresStepRowsInStepOrderInTheSameStatement() {
    Closure a = start("ESC-A", 1, T0.minusSeconds(30));
    Closure b = start("ESC-B", 1, T0.minusSeconds(10));
    StepProgress tracker = closures.step(b.id(), Step.TRACKER_SYNC).orElseThrow();
    closures.recordPrior(tracker, List.of(snapshot("REVIEW_COMPLETE", 1, List.of(), 5)));
    closures.finishStep(
        closures.step(b.id(), Step.TRACKER_SYNC).orElseThrow(),
        StepStatus.DONE,
        List.of(snapshot("CLOSED", 1, List.of(), 6)),
        T0);

    List<ClosureStore.Claimed> claimed =
        closures.claimDueWithSteps(T0, "w1", T0.plusSeconds(120), 10);

    assertThat(claimed)
        .extracting(c -> c.closure().id(), c -> c.closure().status())
        .containsExactly(
            tuple(a.id(), ClosureStatus.RUNNING), tuple(b.id(), ClosureStatus.RUNNING));
    assertThat(claimed.get(0).steps()).isEqualTo(closures.steps(a.id()));
    assertThat(claimed.get(1).steps()).isEqualTo(closures.steps(b.id()));
    assertThat(claimed.get(1).steps().get(0).status()).isEqualTo(StepStatus.DONE);
    assertThat(claimed.get(1).steps().get(0).prior()).hasSize(1);
    assertThat(closures.claimDueWithSteps(T0, "w2", T0.plusSeconds(120), 10)).isEmpty();
  }

  @Test
  void claimDueSkipsAnEscalationWhileAnotherOfItsClosuresIsLeased() {
    start("ESC-A", 1, T0.minusSeconds(30));
    start("ESC-A", 2, T0.minusSeconds(20));
    assertThat(closures.claimDue(T0, "w1", T0.plusSeconds(120), 10)).hasSize(1);

    assertThat(closures.claimDue(T0, "w2", T0.plusSeconds(120), 10)).isEmpty();
  }

  @Test
  void versionsWaitingBehindALeasedSiblingNeverCrowdOtherEscalationsOutOfTheBatch() {
    start("ESC-A", 1, T0.minusSeconds(60));
    assertThat(closures.claimDue(T0, "w1", T0.plusSeconds(120), 1)).hasSize(1);
    // Four later versions of ESC-A are due before anything else, and all wait for version 1.
    for (int version = 2; version <= 5; version++) {
      start("ESC-A", version, T0.minusSeconds(60 - version));
    }
    Closure b = start("ESC-B", 1, T0.minusSeconds(10));
    Closure c = start("ESC-C", 1, T0.minusSeconds(5));

    assertThat(closures.claimDue(T0, "w2", T0.plusSeconds(120), 2))
        .extracting(Closure::id)
        .containsExactly(b.id(), c.id());
  }

  @Test
  void claimedAndFinishedClosuresLeaveTheNextClaimOnlyWhatIsDue() {
    for (int i = 0; i < 300; i++) {
      start("ESC-" + i, 1, T0.minusSeconds(600 - i));
    }
    for (int round = 0; round < 10; round++) {
      List<Closure> batch = closures.claimDue(T0, "w1", T0.plusSeconds(120), 30);
      assertThat(batch).hasSize(30);
      closures.changeAll(batch, ClosureChange.to(ClosureStatus.COMPLETED, T0));
    }
    Closure late = start("ESC-late", 1, T0.minusSeconds(1));

    assertThat(closures.claimDue(T0, "w1", T0.plusSeconds(120), 30))
        .extracting(Closure::id)
        .containsExactly(late.id());
  }

  @Test
  void claimDueRespectsTheBatchLimit() {
    for (int i = 0; i < 5; i++) {
      start("ESC-" + i, 1, T0.minusSeconds(50 - i));
    }

    assertThat(closures.claimDue(T0, "w1", T0.plusSeconds(120), 3)).hasSize(3);
    assertThat(closures.claimDue(T0, "w1", T0.plusSeconds(120), 3)).hasSize(2);
    assertThat(closures.claimDue(T0, "w1", T0.plusSeconds(120), 3)).isEmpty();
  }

  @Test
  void concurrentClaimersNeverLeaseTheSameClosureTwice() throws Exception {
    int escalations = 60;
    for (int i = 0; i < escalations; i++) {
      start("ESC-" + i, 1, T0.minusSeconds(1));
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<List<Long>>> claims = new java.util.ArrayList<>();
      for (int worker = 0; worker < 4; worker++) {
        String owner = "w" + worker;
        claims.add(
            pool.submit(
                () -> {
                  List<Long> mine = new java.util.ArrayList<>();
                  for (int round = 0; round < 40; round++) {
                    closures.claimDue(T0, owner, T0.plusSeconds(120), 4).stream()
                        .map(Closure::id)
                        .forEach(mine::add);
                  }
                  return mine;
                }));
      }
      List<Long> all = new java.util.ArrayList<>();
      for (var claim : claims) {
        all.addAll(claim.get());
      }
      assertThat(all).doesNotHaveDuplicates().hasSize(escalations);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void recordPriorsRecordsManyStepsAtOnceAndTheFirstRecordingStillWins() {
    Closure a = start("ESC-A", 1, T0);
    Closure b = start("ESC-B", 1, T0);
    StepProgress aTracker = closures.step(a.id(), Step.TRACKER_SYNC).orElseThrow();
    StepProgress bTracker = closures.step(b.id(), Step.TRACKER_SYNC).orElseThrow();
    StepProgress bFirst =
        closures.recordPrior(bTracker, List.of(snapshot("IN_REVIEW", null, List.of(), 1)));

    List<StepProgress> recorded =
        closures.recordPriors(
            List.of(
                new ClosureStore.PriorRecord(
                    aTracker, List.of(snapshot("IN_REVIEW", null, List.of(), 1))),
                new ClosureStore.PriorRecord(
                    bFirst, List.of(snapshot("REVIEW_COMPLETE", 1, List.of(), 2)))));

    assertThat(recorded.get(0).revision()).isEqualTo(aTracker.revision());
    assertThat(recorded.get(0).prior())
        .extracting(TargetSnapshot::status)
        .containsExactly("IN_REVIEW");
    assertThat(recorded.get(1).prior())
        .extracting(TargetSnapshot::status)
        .containsExactly("IN_REVIEW");
    assertThat(closures.step(a.id(), Step.TRACKER_SYNC).orElseThrow().prior())
        .isEqualTo(recorded.get(0).prior());
  }

  @Test
  void aStepGivenTwiceInOneGroupIsRefusedAndNothingOfTheGroupIsWritten() {
    Closure a = start("ESC-A", 1, T0);
    StepProgress tracker = closures.step(a.id(), Step.TRACKER_SYNC).orElseThrow();
    StepProgress ledger = closures.step(a.id(), Step.LEDGER_SYNC).orElseThrow();

    // One UPDATE ... FROM would change the row once: the second finish's guard would not count.
    assertThatThrownBy(
            () ->
                closures.finishSteps(
                    List.of(
                        new ClosureStore.StepFinish(ledger, StepStatus.DONE, List.of()),
                        new ClosureStore.StepFinish(tracker, StepStatus.DONE, List.of()),
                        new ClosureStore.StepFinish(
                            tracker, StepStatus.SKIPPED_ALREADY_DONE, List.of())),
                    T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("given twice");
    assertThat(closures.steps(a.id()))
        .extracting(StepProgress::status)
        .containsOnly(StepStatus.PENDING);
  }

  @Test
  void finishStepsMovesManyStepsAtOnceAndRefusesTheBatchIfOneMoved() {
    Closure a = start("ESC-A", 1, T0);
    Closure b = start("ESC-B", 1, T0);
    StepProgress aTracker = closures.step(a.id(), Step.TRACKER_SYNC).orElseThrow();
    StepProgress bTracker = closures.step(b.id(), Step.TRACKER_SYNC).orElseThrow();

    List<StepProgress> finished =
        closures.finishSteps(
            List.of(
                new ClosureStore.StepFinish(aTracker, StepStatus.DONE, List.of()),
                new ClosureStore.StepFinish(bTracker, StepStatus.SKIPPED_ALREADY_DONE, List.of())),
            T0);

    assertThat(finished)
        .extracting(StepProgress::status)
        .containsExactly(StepStatus.DONE, StepStatus.SKIPPED_ALREADY_DONE);
    assertThat(closures.step(b.id(), Step.TRACKER_SYNC).orElseThrow().status())
        .isEqualTo(StepStatus.SKIPPED_ALREADY_DONE);

    StepProgress aLedger = closures.step(a.id(), Step.LEDGER_SYNC).orElseThrow();
    assertThatThrownBy(
            () ->
                stores
                    .transactions()
                    .inTransaction(
                        () ->
                            closures.finishSteps(
                                List.of(
                                    new ClosureStore.StepFinish(
                                        aLedger, StepStatus.DONE, List.of()),
                                    new ClosureStore.StepFinish(
                                        aTracker, StepStatus.DONE, List.of())), // stale
                                T0)))
        .isInstanceOf(RuntimeException.class);
    assertThat(closures.step(a.id(), Step.LEDGER_SYNC).orElseThrow().status())
        .isEqualTo(StepStatus.PENDING);
  }

  private Closure start(String escalation, int version, Instant at) {
    return Deliveries.start(
            closures,
            new NewClosure(event(escalation, version, "evt-" + escalation + "-" + version), at))
        .orElseThrow();
  }

  private static ClosureKey key(String escalation, int version) {
    return new ClosureKey(new EscalationId(escalation), version);
  }

  private static TargetSnapshot snapshot(
      String status, Integer version, List<String> uris, long revision) {
    return new TargetSnapshot(
        TargetSystem.TRACKER,
        "ESC-1",
        status,
        version,
        version == null ? null : FINALIZED_AT,
        uris,
        revision);
  }

  static DispositionEvent event(String escalation, int version, String eventId) {
    return new DispositionEvent(
        new EventId(eventId),
        "urn:support:review-board",
        T0,
        new EscalationId(escalation),
        new EpisodeId("EP-7"),
        DispositionEvent.CLOSURE_APPROVED,
        version,
        FINALIZED_AT,
        List.of(
            new ArchiveRef(
                "CLOSURE_PACKET",
                "archive://closure-packets/" + escalation + "/v" + version + ".pdf",
                "a".repeat(64)),
            new ArchiveRef(
                "REVIEW_NOTE",
                "archive://review-notes/" + escalation + "/v" + version + ".md",
                "b".repeat(64))),
        List.of("REFUND"));
  }
}
