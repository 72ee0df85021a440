package com.closeout.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.closeout.audit.AuditRecord;
import com.closeout.audit.AuditTrail;
import com.closeout.bench.CountingDataSource;
import com.closeout.domain.ClosureStatus;
import com.closeout.domain.EscalationId;
import com.closeout.domain.EventId;
import com.closeout.domain.EventOutcome;
import com.closeout.propagation.CloseoutStores;
import com.closeout.propagation.Closure;
import com.closeout.propagation.ClosureStore;
import com.closeout.propagation.EscalationLeasedMeanwhileException;
import com.closeout.propagation.IntakeHandOff;
import com.closeout.propagation.TransactionRunner;
import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.propagation.jdbc.JdbcCloseoutStores;
import com.closeout.testsupport.CleanEscalation;
import com.closeout.testsupport.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Intake of groups of deliveries, and group commit of concurrent ones, on real PostgreSQL. */
class EventIntakeIntegrationTests {
  private static final Instant T0 = Instant.parse("2026-11-20T10:15:00Z");
  private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

  private final List<IsolatedSchema> schemas = new ArrayList<>();

  @AfterEach
  void dropSchemas() {
    schemas.forEach(IsolatedSchema::close);
  }

  @Test
  void aGroupEndsExactlyAsItsEventsTakenOneAfterAnother() {
    List<IncomingEvent> deliveries =
        List.of(
            escalation("ESC-1", 1).event("evt-1"),
            new IncomingEvent(
                new EventId("evt-2"), "support.review.comment.added", "urn:x", "ESC-1", null),
            escalation("ESC-1", 1).event("evt-1"),
            escalation("ESC-1", 1).event("evt-3"),
            escalation("ESC-2", 1).event("evt-4"),
            escalation("ESC-1", 2).event("evt-5"),
            escalation("ESC-2", 1).event("evt-4"));
    CloseoutStores oneByOne = stores("intake_seq");
    CloseoutStores grouped = stores("intake_grp");
    // ESC-2 v1 existed before: the group's re-emission of it must join that closure.
    intake(oneByOne).receive(escalation("ESC-2", 1).event("evt-0"));
    intake(grouped).receive(escalation("ESC-2", 1).event("evt-0"));

    List<IntakeReceipt> sequential = new ArrayList<>();
    deliveries.forEach(event -> sequential.add(intake(oneByOne).receive(event)));
    List<IntakeReceipt> together = intake(grouped).receiveAll(deliveries);

    assertThat(together).containsExactlyElementsOf(sequential);
    assertThat(together)
        .extracting(IntakeReceipt::outcome)
        .containsExactly(
            EventOutcome.CLOSURE_STARTED,
            EventOutcome.IGNORED,
            EventOutcome.DUPLICATE,
            EventOutcome.DUPLICATE,
            EventOutcome.DUPLICATE,
            EventOutcome.CLOSURE_STARTED,
            EventOutcome.DUPLICATE);
    assertThat(together.get(3).closureId()).isEqualTo(together.get(0).closureId());
    assertThat(together.get(4).closureId()).isEqualTo(1L);
    assertThat(together)
        .extracting(IntakeReceipt::redelivery)
        .containsExactly(false, false, true, false, false, false, true);
    assertThat(grouped.inbox().all()).isEqualTo(oneByOne.inbox().all());
    assertThat(trail(grouped)).isEqualTo(trail(oneByOne));
    assertThat(grouped.audit().verify()).isEmpty();
    assertThat(grouped.closures().forEscalation(new EscalationId("ESC-1")))
        .extracting(c -> c.eventId().value())
        .containsExactlyInAnyOrder("evt-1", "evt-5");
  }

  @Test
  void
      aGroupOfNewClosuresCostsOneStatementAndTheCommitWithItsTrailAndEachInboxRowNamesItsClosure() {
    IsolatedSchema schema = TestDatabase.freshSchema("intake_trips");
    schemas.add(schema);
    CountingDataSource counted = new CountingDataSource(schema.dataSource());
    CloseoutStores stores = JdbcCloseoutStores.create(counted, CLOCK);
    CountingDataSource.Counts before = counted.counts();

    List<IntakeReceipt> receipts =
        intake(stores)
            .receiveAll(
                List.of(
                    escalation("ESC-1", 1).event("evt-1"),
                    escalation("ESC-2", 1).event("evt-2"),
                    escalation("ESC-3", 4).event("evt-3")));

    CountingDataSource.Counts cost = counted.counts().minus(before);
    // The inbox rows, closures and steps; then the audit entries sent with the COMMIT.
    assertThat(cost.roundTrips()).isEqualTo(2);
    assertThat(cost.commitRoundTrips()).isZero();
    assertThat(cost.kinds()).doesNotContainKey("UPDATE inbox");
    assertThat(receipts)
        .extracting(IntakeReceipt::outcome)
        .containsOnly(EventOutcome.CLOSURE_STARTED);
    for (IntakeReceipt receipt : receipts) {
      InboxEntry row = stores.inbox().find(receipt.eventId()).orElseThrow();
      assertThat(row.closureId()).isEqualTo(receipt.closureId());
      assertThat(stores.closures().find(receipt.closureId()).orElseThrow().eventId().value())
          .isEqualTo(receipt.eventId());
      assertThat(stores.closures().steps(receipt.closureId())).hasSize(6);
    }
  }

  @Test
  void aGroupTheStoreRefusesLeavesNothingBehind() {
    CloseoutStores stores = refusingAuditFor("evt-poison", stores("intake_refused"));
    EventIntake intake = intake(stores);

    assertThatThrownBy(
            () ->
                intake.receiveAll(
                    List.of(
                        escalation("ESC-1", 1).event("evt-1"),
                        escalation("ESC-9", 1).event("evt-poison"))))
        .isInstanceOf(IllegalStateException.class);

    assertThat(stores.inbox().all()).isEmpty();
    assertThat(stores.closures().forEscalation(new EscalationId("ESC-1"))).isEmpty();
    assertThat(stores.audit().pending()).isZero();
    assertThat(stores.audit().chainAllPending()).isZero();
    assertThat(stores.audit().count()).isZero();
  }

  @Test
  void concurrentDeliveriesQueuedBehindACommitShareTheNextTransaction() throws Exception {
    CloseoutStores real = stores("intake_group");
    HeldTransactions held = new HeldTransactions(real.transactions());
    GroupCommitIntake intake = new GroupCommitIntake(intake(withTransactions(real, held)), 64);
    ExecutorService senders = Executors.newFixedThreadPool(8);
    try {
      Future<IntakeReceipt> first = senders.submit(() -> intake.receive(clean(0)));
      held.awaitFirstEntered();
      List<Future<IntakeReceipt>> behind = new ArrayList<>();
      for (int i = 1; i < 8; i++) {
        int index = i;
        behind.add(senders.submit(() -> intake.receive(clean(index))));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> intake.waiting() == 7);
      held.releaseFirst();

      assertThat(first.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(EventOutcome.CLOSURE_STARTED);
      for (Future<IntakeReceipt> receipt : behind) {
        assertThat(receipt.get(10, TimeUnit.SECONDS).outcome())
            .isEqualTo(EventOutcome.CLOSURE_STARTED);
      }
    } finally {
      senders.shutdownNow();
    }
    assertThat(held.transactions()).isEqualTo(2);
    assertThat(real.inbox().all()).hasSize(8);
    assertThat(real.audit().chainAllPending()).isPositive();
    assertThat(real.audit().verify()).isEmpty();
  }

  @Test
  void oneDeliveryTheStoreRefusesFailsOnlyItsOwnCaller() throws Exception {
    CloseoutStores real = refusingAuditFor("evt-poison", stores("intake_poison"));
    HeldTransactions held = new HeldTransactions(real.transactions());
    GroupCommitIntake intake = new GroupCommitIntake(intake(withTransactions(real, held)), 64);
    ExecutorService senders = Executors.newFixedThreadPool(4);
    try {
      Future<IntakeReceipt> first = senders.submit(() -> intake.receive(clean(0)));
      held.awaitFirstEntered();
      List<Future<IntakeReceipt>> behind = new ArrayList<>();
      for (String id : List.of("evt-a", "evt-poison", "evt-b")) {
        behind.add(senders.submit(() -> intake.receive(escalation("ESC-" + id, 1).event(id))));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> intake.waiting() == 3);
      held.releaseFirst();

      assertThat(first.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(EventOutcome.CLOSURE_STARTED);
      assertThat(behind.get(0).get(10, TimeUnit.SECONDS).outcome())
          .isEqualTo(EventOutcome.CLOSURE_STARTED);
      assertThatThrownBy(() -> behind.get(1).get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(IllegalStateException.class);
      assertThat(behind.get(2).get(10, TimeUnit.SECONDS).outcome())
          .isEqualTo(EventOutcome.CLOSURE_STARTED);
    } finally {
      senders.shutdownNow();
    }
    // One failed group, then each of its three alone.
    assertThat(held.transactions()).isEqualTo(5);
    assertThat(real.inbox().all())
        .extracting(InboxEntry::eventId)
        .containsExactlyInAnyOrder("evt-c0", "evt-a", "evt-b");
    assertThat(real.audit().chainAllPending()).isPositive();
    assertThat(real.audit().verify()).isEmpty();
  }

  @Test
  void closuresIntakeLeasedAreHandedToTheWorkerOnceTheirTransactionCommitted() {
    CloseoutStores stores = stores("intake_lease");
    IntakeHandOff handOff = openHandOff();
    EventIntake intake =
        new EventIntake(
            stores.inbox(),
            stores.closures(),
            stores.audit(),
            stores.transactions(),
            CLOCK,
            handOff);

    List<IntakeReceipt> receipts =
        intake.receiveAll(
            List.of(escalation("ESC-1", 1).event("evt-1"), escalation("ESC-1", 2).event("evt-2")));

    assertThat(receipts)
        .extracting(IntakeReceipt::outcome)
        .containsExactly(EventOutcome.CLOSURE_STARTED, EventOutcome.CLOSURE_STARTED);
    // The first version is leased and handed over; the second waits for it, for a claim.
    assertThat(handOff.handedOver()).isEqualTo(1);
    Closure first = stores.closures().find(receipts.get(0).closureId()).orElseThrow();
    assertThat(first.status()).isEqualTo(ClosureStatus.RUNNING);
    assertThat(first.leaseOwner()).isEqualTo("worker-a");
    assertThat(stores.closures().find(receipts.get(1).closureId()).orElseThrow().status())
        .isEqualTo(ClosureStatus.PENDING);
  }

  @Test
  void closuresLeasedWhileTheWorkerStoppedGoBackToTheClaimsAtOnce() {
    CloseoutStores real = stores("intake_stopped");
    IntakeHandOff handOff = openHandOff();
    // The worker stops while the intake transaction that leased to it commits.
    TransactionRunner stopping =
        new TransactionRunner() {
          @Override
          public <T> T inTransaction(Supplier<T> work) {
            T result = real.transactions().inTransaction(work);
            handOff.close();
            return result;
          }
        };
    EventIntake intake =
        new EventIntake(real.inbox(), real.closures(), real.audit(), stopping, CLOCK, handOff);

    IntakeReceipt receipt = intake.receive(escalation("ESC-1", 1).event("evt-1"));

    Closure closure = real.closures().find(receipt.closureId()).orElseThrow();
    assertThat(closure.status()).isEqualTo(ClosureStatus.PENDING);
    assertThat(closure.leaseOwner()).isNull();
    assertThat(closure.nextAttemptAt()).isEqualTo(T0);
    assertThat(handOff.handedOver()).isZero();
    assertThat(handOff.lease()).isEqualTo(ClosureStore.Lease.NONE);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aGroupWhoseLeaseRacedAnotherIsTakenAgainWithoutALease() {
    CloseoutStores real = stores("intake_race");
    AtomicInteger raced = new AtomicInteger();
    ClosureStore racing =
        (ClosureStore)
            Proxy.newProxyInstance(
                ClosureStore.class.getClassLoader(),
                new Class<?>[] {ClosureStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("acceptAndStartAll")
                      && args.length == 2
                      && ((ClosureStore.Lease) args[1]).limit() > 0
                      && raced.getAndIncrement() == 0) {
                    // As the store does: its statement failed, so the transaction rolls back.
                    real.closures().acceptAndStartAll((List<ClosureStore.Delivery>) args[0]);
                    throw new EscalationLeasedMeanwhileException(null);
                  }
                  try {
                    return method.invoke(real.closures(), args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    IntakeHandOff handOff = openHandOff();
    EventIntake intake =
        new EventIntake(real.inbox(), racing, real.audit(), real.transactions(), CLOCK, handOff);

    IntakeReceipt receipt = intake.receive(escalation("ESC-1", 1).event("evt-1"));

    assertThat(raced).hasValue(1);
    assertThat(receipt.outcome()).isEqualTo(EventOutcome.CLOSURE_STARTED);
    assertThat(real.closures().find(receipt.closureId()).orElseThrow().status())
        .isEqualTo(ClosureStatus.PENDING);
    assertThat(handOff.handedOver()).isZero();
    assertThat(real.inbox().all()).extracting(InboxEntry::eventId).containsExactly("evt-1");
  }

  private static IntakeHandOff openHandOff() {
    IntakeHandOff handOff = new IntakeHandOff("worker-a", Duration.ofMinutes(2), 8, CLOCK);
    handOff.open();
    return handOff;
  }

  private static CleanEscalation escalation(String id, int version) {
    return new CleanEscalation(new EscalationId(id), version, T0.minusSeconds(60));
  }

  private static IncomingEvent clean(int index) {
    return escalation("ESC-C" + index, 1).event("evt-c" + index);
  }

  private CloseoutStores stores(String prefix) {
    IsolatedSchema schema = TestDatabase.freshSchema(prefix);
    schemas.add(schema);
    return JdbcCloseoutStores.create(schema.dataSource(), CLOCK);
  }

  private static EventIntake intake(CloseoutStores stores) {
    return new EventIntake(
        stores.inbox(), stores.closures(), stores.audit(), stores.transactions(), CLOCK, null);
  }

  private static List<String> trail(CloseoutStores stores) {
    stores.audit().chainAllPending();
    return stores.audit().entries(1, 1000).stream()
        .map(e -> e.sequence() + " " + e.eventId() + " " + e.action() + " " + e.detail())
        .toList();
  }

  private static CloseoutStores withTransactions(
      CloseoutStores stores, TransactionRunner transactions) {
    return new CloseoutStores(
        stores.inbox(),
        stores.closures(),
        stores.audit(),
        stores.completions(),
        stores.followUps(),
        transactions);
  }

  /** The real audit trail, except that appending a record of one event id fails (a bad row). */
  private static CloseoutStores refusingAuditFor(String eventId, CloseoutStores stores) {
    AuditTrail real = stores.audit();
    AuditTrail refusing =
        (AuditTrail)
            Proxy.newProxyInstance(
                AuditTrail.class.getClassLoader(),
                new Class<?>[] {AuditTrail.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("appendAll")
                      || method.getName().equals("appendWithCommit")) {
                    @SuppressWarnings("unchecked")
                    List<AuditRecord> records = (List<AuditRecord>) args[0];
                    if (records.stream().anyMatch(r -> eventId.equals(r.eventId()))) {
                      throw new IllegalStateException("the store refused a row");
                    }
                  }
                  try {
                    return method.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    return new CloseoutStores(
        stores.inbox(),
        stores.closures(),
        refusing,
        stores.completions(),
        stores.followUps(),
        stores.transactions());
  }

  /** Counts transactions and holds the first one open until released. */
  private static final class HeldTransactions implements TransactionRunner {
    private final TransactionRunner real;
    private final CountDownLatch firstEntered = new CountDownLatch(1);
    private final CountDownLatch firstReleased = new CountDownLatch(1);
    private final AtomicInteger count = new AtomicInteger();

    HeldTransactions(TransactionRunner real) {
      this.real = real;
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
      boolean first = count.incrementAndGet() == 1;
      return real.inTransaction(
          () -> {
            T result = work.get();
            if (first) {
              firstEntered.countDown();
              try {
                firstReleased.await(20, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return result;
          });
    }

    void awaitFirstEntered() throws InterruptedException {
      assertThat(firstEntered.await(20, TimeUnit.SECONDS)).isTrue();
    }

    void releaseFirst() {
      firstReleased.countDown();
    }

    int transactions() {
      return count.get();
    }
  }
}
