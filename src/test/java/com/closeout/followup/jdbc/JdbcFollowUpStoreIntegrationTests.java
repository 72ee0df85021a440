package com.closeout.followup.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.closeout.domain.DispositionEvent;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.EventId;
import com.closeout.domain.FollowUpReason;
import com.closeout.domain.TargetSystem;
import com.closeout.followup.FollowUp;
import com.closeout.followup.FollowUpStatus;
import com.closeout.followup.FollowUpStore;
import com.closeout.followup.NewFollowUp;
import com.closeout.propagation.CloseoutStores;
import com.closeout.propagation.ConcurrentClosureChangeException;
import com.closeout.propagation.NewClosure;
import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.propagation.jdbc.JdbcCloseoutStores;
import com.closeout.testsupport.Deliveries;
import com.closeout.testsupport.TestDatabase;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbcFollowUpStoreIntegrationTests {
  private static final Instant NOW = Instant.parse("2026-11-20T10:15:00Z");

  private IsolatedSchema schema;
  private CloseoutStores stores;
  private FollowUpStore followUps;
  private long closureId;
  private long otherClosureId;

  @BeforeEach
  void freshSchema() {
    schema = TestDatabase.freshSchema("followups");
    stores = JdbcCloseoutStores.create(schema.dataSource());
    followUps = stores.followUps();
    closureId = closure("ESC-1");
    otherClosureId = closure("ESC-2");
  }

  @AfterEach
  void dropSchema() {
    schema.close();
  }

  @Test
  void followUpIsOpenedOnceAndKeepsWhatWasSeen() {
    FollowUp opened =
        followUps.openIfAbsent(mappingMissing(closureId, TargetSystem.QUEUE, NOW)).orElseThrow();

    assertThat(followUps.openIfAbsent(mappingMissing(closureId, TargetSystem.LEDGER, NOW)))
        .isEmpty();
    assertThat(followUps.forClosure(closureId)).containsExactly(opened);
    assertThat(opened.status()).isEqualTo(FollowUpStatus.OPEN);
    assertThat(opened.revision()).isEqualTo(1);
    assertThat(opened.reason()).isEqualTo(FollowUpReason.MAPPING_MISSING);
    assertThat(opened.system()).isEqualTo(TargetSystem.QUEUE);
    assertThat(opened.eventVersion()).isEqualTo(3);
    assertThat(opened.recordVersion()).isEqualTo(3);
    assertThat(opened.detail()).isEqualTo("no queue item");
    assertThat(opened.createdAt()).isEqualTo(NOW);
    assertThat(opened.resolvedAt()).isNull();
    assertThat(followUps.find(opened.id())).contains(opened);
  }

  @Test
  void otherReasonsAndOtherClosuresOpenTheirOwnFollowUps() {
    followUps.openIfAbsent(mappingMissing(closureId, TargetSystem.QUEUE, NOW)).orElseThrow();

    assertThat(followUps.openIfAbsent(outOfScope(closureId))).isPresent();
    assertThat(followUps.openIfAbsent(mappingMissing(otherClosureId, TargetSystem.QUEUE, NOW)))
        .isPresent();
  }

  @Test
  void resolvedFollowUpLetsTheSameReasonBeOpenedAgain() {
    FollowUp first =
        followUps.openIfAbsent(mappingMissing(closureId, TargetSystem.QUEUE, NOW)).orElseThrow();
    FollowUp retried =
        followUps.resolve(first, FollowUpStatus.RETRIED, "queue item added", NOW.plusSeconds(60));

    assertThat(retried.status()).isEqualTo(FollowUpStatus.RETRIED);
    assertThat(retried.revision()).isEqualTo(2);
    assertThat(retried.resolvedAt()).isEqualTo(NOW.plusSeconds(60));
    assertThat(retried.resolutionComment()).isEqualTo("queue item added");
    assertThat(
            followUps.openIfAbsent(
                mappingMissing(closureId, TargetSystem.QUEUE, NOW.plusSeconds(90))))
        .isPresent();
    assertThat(followUps.all(true)).hasSize(1);
    assertThat(followUps.all(false)).hasSize(2);
  }

  @Test
  void resolveWithAStaleRevisionThrowsAndChangesNothing() {
    FollowUp open =
        followUps.openIfAbsent(mappingMissing(closureId, TargetSystem.QUEUE, NOW)).orElseThrow();
    FollowUp dismissed = followUps.resolve(open, FollowUpStatus.DISMISSED, "by ops", NOW);

    assertThatThrownBy(() -> followUps.resolve(open, FollowUpStatus.RETRIED, "again", NOW))
        .isInstanceOf(ConcurrentClosureChangeException.class);
    assertThat(followUps.find(open.id())).contains(dismissed);
  }

  @Test
  void resolvedFollowUpCannotBeResolvedAgain() {
    FollowUp open =
        followUps.openIfAbsent(mappingMissing(closureId, TargetSystem.QUEUE, NOW)).orElseThrow();
    FollowUp dismissed = followUps.resolve(open, FollowUpStatus.DISMISSED, "by ops", NOW);

    assertThatThrownBy(() -> followUps.resolve(dismissed, FollowUpStatus.RETRIED, "x", NOW))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> followUps.resolve(open, FollowUpStatus.OPEN, "x", NOW))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void allListsOpenFollowUpsOldestFirst() {
    FollowUp later =
        followUps
            .openIfAbsent(mappingMissing(closureId, TargetSystem.QUEUE, NOW.plusSeconds(5)))
            .orElseThrow();
    FollowUp earlier =
        followUps.openIfAbsent(mappingMissing(otherClosureId, null, NOW)).orElseThrow();

    assertThat(followUps.all(true)).containsExactly(earlier, later);
    assertThat(earlier.system()).isNull();
  }

  private NewFollowUp mappingMissing(long closure, TargetSystem system, Instant at) {
    return new NewFollowUp(
        closure,
        "ESC-1",
        "evt-1",
        FollowUpReason.MAPPING_MISSING,
        system,
        3,
        3,
        "no queue item",
        at);
  }

  private NewFollowUp outOfScope(long closure) {
    return new NewFollowUp(
        closure,
        "ESC-1",
        "evt-1",
        FollowUpReason.OUT_OF_SCOPE_REQUEST,
        null,
        3,
        null,
        "REFUND",
        NOW);
  }

  private long closure(String escalation) {
    DispositionEvent event =
        new DispositionEvent(
            new EventId("evt-" + escalation),
            "urn:support:review-board",
            NOW,
            new EscalationId(escalation),
            new EpisodeId("EP-1"),
            DispositionEvent.CLOSURE_APPROVED,
            3,
            NOW,
            List.of(),
            List.of());
    return Deliveries.start(stores.closures(), new NewClosure(event, NOW)).orElseThrow().id();
  }
}
