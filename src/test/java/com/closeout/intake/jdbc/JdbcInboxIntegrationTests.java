package com.closeout.intake.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.closeout.domain.EventOutcome;
import com.closeout.intake.Inbox;
import com.closeout.intake.InboxEntry;
import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.testsupport.TestDatabase;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbcInboxIntegrationTests {
  private static final Instant NOW = Instant.parse("2026-11-20T10:15:00Z");
  private static final String FINALIZED = "support.review.disposition.finalized";

  private IsolatedSchema schema;
  private Inbox inbox;

  @BeforeEach
  void freshSchema() {
    schema = TestDatabase.freshSchema("inbox");
    inbox = new JdbcInbox(schema.dataSource());
  }

  @AfterEach
  void dropSchema() {
    schema.close();
  }

  @Test
  void eventIdIsAcceptedOnceAndARedeliveryChangesNothing() {
    InboxEntry first =
        new InboxEntry("evt-1", FINALIZED, "ESC-1", 3, NOW, EventOutcome.CLOSURE_STARTED, 7L);

    assertThat(inbox.accept(first)).isTrue();
    assertThat(
            inbox.accept(
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
    inbox.accept(new InboxEntry("evt-1", FINALIZED, "ESC-1", 3, NOW, EventOutcome.DUPLICATE, null));

    inbox.settle("evt-1", EventOutcome.CLOSURE_STARTED, 12L);

    assertThat(inbox.find("evt-1"))
        .hasValueSatisfying(
            entry -> {
              assertThat(entry.outcome()).isEqualTo(EventOutcome.CLOSURE_STARTED);
              assertThat(entry.closureId()).isEqualTo(12L);
            });
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
    inbox.accept(other);
    inbox.accept(earlier);

    assertThat(inbox.all()).containsExactly(earlier, other);
    assertThat(inbox.find("evt-missing")).isEmpty();
  }
}
