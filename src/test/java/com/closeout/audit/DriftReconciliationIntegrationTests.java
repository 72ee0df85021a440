package com.closeout.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.DispositionEvent;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.EventId;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.SourceStatus;
import com.closeout.domain.TargetSystem;
import com.closeout.intake.IncomingEvent;
import com.closeout.propagation.CloseoutEngine;
import com.closeout.propagation.CloseoutStores;
import com.closeout.propagation.EngineSettings;
import com.closeout.propagation.StepCommitListener;
import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.propagation.jdbc.JdbcCloseoutStores;
import com.closeout.sandbox.FaultKind;
import com.closeout.sandbox.RestrictedContent;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.targets.ArchiveObject;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.QueueItem;
import com.closeout.testsupport.TestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DriftReconciliationIntegrationTests {
  private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
  private static final Instant FINALIZED = Instant.parse("2026-11-20T10:00:00Z");

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private IsolatedSchema schema;
  private CloseoutStores stores;
  private SandboxSystems sandbox;
  private CloseoutEngine engine;
  private DriftReconciliation reconciliation;

  @BeforeEach
  void setUp() {
    schema = TestDatabase.freshSchema("drift");
    stores = JdbcCloseoutStores.create(schema.dataSource(), clock);
    sandbox = new SandboxSystems();
    engine =
        new CloseoutEngine(
            sandbox.ports(),
            stores,
            clock,
            EngineSettings.defaults(),
            "drift-test",
            StepCommitListener.NONE,
            new SplittableRandom(1));
    reconciliation =
        new DriftReconciliation(
            sandbox.ports(), stores.closures(), stores.audit(), stores.transactions(), clock);
  }

  @AfterEach
  void tearDown() {
    schema.close();
  }

  private static List<ArchiveRef> refs(String escalation) {
    return List.of(
        new ArchiveRef("CLOSURE_PACKET", "archive://p/" + escalation, "a".repeat(64)),
        new ArchiveRef("REVIEW_NOTE", "archive://n/" + escalation, "b".repeat(64)));
  }

  private EscalationId finalizedAtSource(String id, String trackerEpisode) {
    EscalationId escalation = new EscalationId(id);
    EpisodeId episode = new EpisodeId("EP-1");
    sandbox.putReview(
        new SourceRecord(
            escalation,
            episode,
            "SEV1",
            SourceStatus.FINAL,
            DispositionEvent.CLOSURE_APPROVED,
            1,
            FINALIZED,
            refs(id)),
        RestrictedContent.NONE);
    sandbox.putTracker(
        new BookkeepingRecord(
            id, escalation, new EpisodeId(trackerEpisode), "IN_REVIEW", null, null, List.of(), 1));
    sandbox.putLedger(
        new BookkeepingRecord(id, escalation, episode, "OPEN", null, null, List.of(), 1));
    sandbox.putQueueItem(new QueueItem("Q-" + id, escalation, episode, QueueItem.OPEN, null, 1));
    refs(id).forEach(r -> sandbox.putArchiveObject(new ArchiveObject(r.uri(), r.sha256())));
    return escalation;
  }

  private void deliver(EscalationId escalation) {
    DispositionEvent event =
        new DispositionEvent(
            new EventId("evt-" + escalation),
            "urn:support:review-board",
            FINALIZED,
            escalation,
            new EpisodeId("EP-1"),
            DispositionEvent.CLOSURE_APPROVED,
            1,
            FINALIZED,
            refs(escalation.value()),
            List.of());
    engine.receive(
        new IncomingEvent(
            event.eventId(),
            DispositionEvent.FINALIZED_TYPE,
            event.source(),
            escalation.value(),
            event));
    engine.runDue();
  }

  @Test
  void finalizedRecordWhoseEventNeverArrivedIsReportedAsALostEvent() {
    finalizedAtSource("ESC-LOST", "EP-1");

    DriftReport report = reconciliation.reconcile(FINALIZED.minusSeconds(60));

    assertThat(report.recordsChecked()).isEqualTo(1);
    assertThat(report.drift())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.escalationId()).isEqualTo("ESC-LOST");
              assertThat(d.kind()).isEqualTo(Drift.Kind.LOST_EVENT);
              assertThat(d.openDownstream())
                  .containsExactly(TargetSystem.TRACKER, TargetSystem.LEDGER, TargetSystem.QUEUE);
              assertThat(d.closureStatus()).isEqualTo("NONE");
            });
    stores.audit().chainAllPending();
    assertThat(stores.audit().forEscalation("ESC-LOST"))
        .anyMatch(e -> e.action() == AuditAction.DRIFT_DETECTED);
    assertThat(stores.audit().verify()).isEmpty();
  }

  @Test
  void completedClosureIsNotDrift() {
    deliverAndComplete("ESC-DONE");

    DriftReport report = reconciliation.reconcile(FINALIZED.minusSeconds(60));

    assertThat(report.recordsChecked()).isEqualTo(1);
    assertThat(report.clean()).isTrue();
  }

  @Test
  void completedClosureWhoseTargetWasLaterReopenedDownstreamIsReportedAsDiverged() {
    EscalationId escalation = deliverAndComplete("ESC-DIVERGED");
    BookkeepingRecord tracker = sandbox.tracker(escalation).orElseThrow();
    sandbox.putTracker(
        new BookkeepingRecord(
            tracker.recordId(),
            escalation,
            tracker.episodeId(),
            "IN_REVIEW",
            null,
            null,
            tracker.archiveRefs(),
            tracker.revision() + 1));

    DriftReport report = reconciliation.reconcile(FINALIZED.minusSeconds(60));

    assertThat(report.drift())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.kind()).isEqualTo(Drift.Kind.DIVERGED);
              assertThat(d.openDownstream()).containsExactly(TargetSystem.TRACKER);
              assertThat(d.closureStatus()).isEqualTo("COMPLETED");
            });
  }

  @Test
  void closureStoppedForAPersonIsReportedAsStopped() {
    EscalationId escalation = finalizedAtSource("ESC-STOPPED", "EP-0");
    deliver(escalation);

    DriftReport report = reconciliation.reconcile(FINALIZED.minusSeconds(60));

    assertThat(report.drift())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.kind()).isEqualTo(Drift.Kind.STOPPED);
              assertThat(d.closureStatus()).isEqualTo("FOLLOW_UP");
            });
  }

  @Test
  void recordsFinalizedBeforeTheWindowAreNotChecked() {
    finalizedAtSource("ESC-OLD", "EP-1");

    DriftReport report = reconciliation.reconcile(FINALIZED.plusSeconds(1));

    assertThat(report.recordsChecked()).isZero();
    assertThat(report.drift()).isEmpty();
  }

  @Test
  void unavailableReviewSystemIsReportedAsUnreachableNotAsClean() {
    finalizedAtSource("ESC-LOST", "EP-1");
    sandbox.injectFault(TargetSystem.REVIEW, FaultKind.UNAVAILABLE, 1);

    DriftReport report = reconciliation.reconcile(FINALIZED.minusSeconds(60));

    assertThat(report.clean()).isFalse();
    assertThat(report.unreachable()).containsExactly("review system");
  }

  private EscalationId deliverAndComplete(String id) {
    EscalationId escalation = finalizedAtSource(id, "EP-1");
    deliver(escalation);
    assertThat(sandbox.tracker(escalation).orElseThrow().status()).isEqualTo("REVIEW_COMPLETE");
    return escalation;
  }
}
