package com.closeout.intake.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.closeout.bench.CountingDataSource;
import com.closeout.domain.EventOutcome;
import com.closeout.intake.Inbox;
import com.closeout.intake.InboxEntry;
import com.closeout.intake.InboxSettlement;
import com.closeout.propagation.ClosureStore;
import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.propagation.jdbc.JdbcCloseoutStores;
import com.closeout.propagation.jdbc.SpringTransactionRunner;
import com.closeout.testsupport.Deliveries;
import com.closeout.testsupport.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbcInboxIntegrationTests {
  private static final Instant NOW = Instant.parse("2026-11-20T10:15:00Z");
  private static final String FINALIZED = "support.review.disposition.finalized";

  private IsolatedSchema schema;
  private Inbox inbox;
  private ClosureStore closures;
  private CountingDataSource counted;
  private Inbox countedInbox;
  private ClosureStore countedClosures;

  @BeforeEach
  void freshSchema() {
    schema = TestDatabase.freshSchema("inbox");
    inbox = new JdbcInbox(schema.dataSource());
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    closures = JdbcCloseoutStores.create(schema.dataSource(), clock).closures();
    counted = new CountingDataSource(schema.dataSource());
    countedInbox = new JdbcInbox(counted);
    countedClosures = JdbcCloseoutStores.create(counted, clock).closures();
  }

  @AfterEach
  void dropSchema() {
    schema.close();
  }

  @Test
  void eventIdIsAcceptedOnceAndARedeliveryChangesNothing() {
    InboxEntry first =
        new InboxEntry("evt-1", FINALIZED, "ESC-1", 3, NOW, EventOutcome.CLOSURE_STARTED, 7L);

    assertThat(accept(first)).isTrue();
    assertThat(
            accept(
                new InboxEntry(
                    "evt-1",
                    FINALIZED,
                    "ESC-9",
                    4,
                    NOW.plusSeconds(9),
                    EventOutcome.DUPLICATE,
                    null)))
        .isFalse();
    assertThat(inbox.find("evt-1")).contains(first);
  }

  @Test
  void settleRecordsWhatBecameOfTheEvent() {
    accept(new InboxEntry("evt-1", FINALIZED, "ESC-1", 3, NOW, EventOutcome.DUPLICATE, null));

    inbox.settle("evt-1", EventOutcome.CLOSURE_STARTED, 12L);

    assertThat(inbox.find("evt-1"))
        .hasValueSatisfying(
            entry -> {
              assertThat(entry.outcome()).isEqualTo(EventOutcome.CLOSURE_STARTED);
              assertThat(entry.closureId()).isEqualTo(12L);
            });
  }

  @Test
  void aGroupIsAcceptedInOneStatementAndOfTwoEntriesWithOneEventIdTheFirstWins() {
    InboxEntry first =
        new InboxEntry("evt-1", FINALIZED, "ESC-1", 3, NOW, EventOutcome.CLOSURE_STARTED, null);
    InboxEntry other =
        new InboxEntry("evt-2", "other.type", null, null, NOW, EventOutcome.IGNORED, null);
    InboxEntry again =
        new InboxEntry("evt-1", FINALIZED, "ESC-9", 4, NOW, EventOutcome.CLOSURE_STARTED, null);
    accept(new InboxEntry("evt-0", FINALIZED, "ESC-0", 1, NOW, EventOutcome.CLOSURE_STARTED, 5L));
    CountingDataSource.Counts before = counted.counts();

    List<ClosureStore.Acceptance> accepted =
        countedClosures.acceptAndStartAll(
            List.of(
                new ClosureStore.Delivery(first, null),
                new ClosureStore.Delivery(other, null),
                new ClosureStore.Delivery(again, null),
                new ClosureStore.Delivery(
                    new InboxEntry(
                        "evt-0", FINALIZED, "ESC-0", 1, NOW, EventOutcome.DUPLICATE, null),
                    null)));

    assertThat(accepted)
        .extracting(ClosureStore.Acceptance::accepted)
        .containsExactly(true, true, false, false);
    assertThat(counted.counts().minus(before).statements()).isEqualTo(1);
    assertThat(inbox.find("evt-1")).contains(first);
    assertThat(inbox.find("evt-2")).contains(other);
  }

  @Test
  void aGroupsSettlementsRideItsCommitAndOneNeverAcceptedFailsItWhole() {
    accept(new InboxEntry("evt-1", FINALIZED, "ESC-1", 3, NOW, EventOutcome.CLOSURE_STARTED, null));
    accept(new InboxEntry("evt-2", FINALIZED, "ESC-2", 1, NOW, EventOutcome.CLOSURE_STARTED, null));
    SpringTransactionRunner transactions = new SpringTransactionRunner(counted);
    CountingDataSource.Counts before = counted.counts();

    transactions.inTransaction(
        () -> {
          countedInbox.settleAll(
              List.of(
                  new InboxSettlement("evt-1", EventOutcome.CLOSURE_STARTED, 11L),
                  new InboxSettlement("evt-2", EventOutcome.DUPLICATE, 7L)));
          return null;
        });

    // The settlement and the COMMIT: one execution.
    assertThat(counted.counts().minus(before).roundTrips()).isEqualTo(1);
    assertThat(inbox.find("evt-1").orElseThrow().closureId()).isEqualTo(11L);
    assertThat(inbox.find("evt-2").orElseThrow().outcome()).isEqualTo(EventOutcome.DUPLICATE);

    assertThatThrownBy(
            () ->
                transactions.inTransaction(
                    () -> {
                      countedInbox.settleAll(
                          List.of(
                              new InboxSettlement("evt-1", EventOutcome.DUPLICATE, 12L),
                              new InboxSettlement("evt-unknown", EventOutcome.IGNORED, null)));
                      return null;
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("settling inbox events evt-1, evt-unknown: 1 of 2 rows matched");
    assertThat(inbox.find("evt-1").orElseThrow().closureId()).isEqualTo(11L);
  }

  @Test
  void settlingAnEventNeverAcceptedIsABug() {
    assertThatThrownBy(() -> inbox.settle("evt-unknown", EventOutcome.IGNORED, null))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void otherEventTypesAreKeptWithoutEscalationOrVersion() {
    InboxEntry other =
        new InboxEntry(
            "evt-2", "support.review.comment.added", null, null, NOW, EventOutcome.IGNORED, null);
    InboxEntry earlier =
        new InboxEntry(
            "evt-3", FINALIZED, "ESC-1", 1, NOW.minusSeconds(1), EventOutcome.STALE, null);
    accept(other);
    accept(earlier);

    assertThat(inbox.all()).containsExactly(earlier, other);
    assertThat(inbox.find("evt-missing")).isEmpty();
  }

  private boolean accept(InboxEntry entry) {
    return Deliveries.accept(closures, entry);
  }
}
