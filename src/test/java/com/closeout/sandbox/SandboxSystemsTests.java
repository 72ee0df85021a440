package com.closeout.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.IdempotencyKey;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.SourceStatus;
import com.closeout.domain.TargetSystem;
import com.closeout.targets.ArchiveObject;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.CoordinatorNotice;
import com.closeout.targets.QueueItem;
import com.closeout.targets.ReviewState;
import com.closeout.targets.TargetPorts;
import com.closeout.targets.TargetUnavailableException;
import com.closeout.targets.WriteResult;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SandboxSystemsTests {
  private static final EscalationId ESC = new EscalationId("ESC-1");
  private static final EpisodeId EP = new EpisodeId("EP-1");
  private static final Instant FINALIZED = Instant.parse("2026-11-11T09:57:00Z");
  private static final ArchiveRef PACKET =
      new ArchiveRef("CLOSURE_PACKET", "archive://p/ESC-1/v1.pdf", "a".repeat(64));
  private static final IdempotencyKey SYNC = new IdempotencyKey("ESC-1:v1:TRACKER_SYNC");
  private static final ReviewState COMPLETE = ReviewState.reviewComplete(1, FINALIZED);

  private SandboxSystems sandbox;
  private TargetPorts ports;

  @BeforeEach
  void setUp() {
    sandbox = new SandboxSystems();
    sandbox.putReview(
        new SourceRecord(
            ESC, EP, "SEV1", SourceStatus.FINAL, "CLOSURE_APPROVED", 1, FINALIZED, List.of(PACKET)),
        new RestrictedContent(
            "TRANSCRIPT-CANARY the outage",
            "CONCESSION-CANARY 20%",
            "REVIEWER-CANARY root cause",
            "Contact Canary",
            "canary@customer.example"));
    sandbox.putTracker(bookkeeping("IN_REVIEW"));
    sandbox.putLedger(bookkeeping("OPEN"));
    sandbox.putQueueItem(new QueueItem("Q-1", ESC, EP, QueueItem.OPEN, null, 1));
    sandbox.putArchiveObject(new ArchiveObject(PACKET.uri(), PACKET.sha256()));
    ports = sandbox.ports();
  }

  private static BookkeepingRecord bookkeeping(String status) {
    return new BookkeepingRecord(ESC.value(), ESC, EP, status, null, null, List.of(), 1);
  }

  private BookkeepingRecord tracker() {
    return sandbox.tracker(ESC).orElseThrow();
  }

  @Test
  void reviewReadReturnsTheRecordWithoutRestrictedContent() {
    SourceRecord record = ports.review().readEscalation(ESC).orElseThrow();

    assertThat(record.status()).isEqualTo(SourceStatus.FINAL);
    assertThat(record.toString()).doesNotContain("CANARY").doesNotContain("canary");
    assertThat(ports.review().readEscalation(new EscalationId("ESC-404"))).isEmpty();
  }

  @Test
  void conditionalWriteAppliesOnTheRevisionReadAndBumpsIt() {
    WriteResult result = ports.tracker().setReviewState(ESC.value(), COMPLETE, 1, SYNC);

    assertThat(result).isEqualTo(WriteResult.APPLIED);
    assertThat(tracker().status()).isEqualTo(ReviewState.REVIEW_COMPLETE);
    assertThat(tracker().dispositionVersion()).isEqualTo(1);
    assertThat(tracker().closedAt()).isEqualTo(FINALIZED);
    assertThat(tracker().revision()).isEqualTo(2);
    assertThat(sandbox.writes(ESC, TargetSystem.TRACKER)).isEqualTo(1);
  }

  @Test
  void writeOnAnOldRevisionIsRefusedAndChangesNothing() {
    WriteResult result = ports.tracker().setReviewState(ESC.value(), COMPLETE, 7, SYNC);

    assertThat(result).isEqualTo(WriteResult.REVISION_CONFLICT);
    assertThat(tracker().status()).isEqualTo("IN_REVIEW");
    assertThat(tracker().revision()).isEqualTo(1);
    assertThat(sandbox.writes(ESC, TargetSystem.TRACKER)).isZero();
    // The refused key was not applied, so the same key succeeds on the right revision.
    assertThat(ports.tracker().setReviewState(ESC.value(), COMPLETE, 1, SYNC))
        .isEqualTo(WriteResult.APPLIED);
  }

  @Test
  void writeToAnUnknownRecordIsNotFound() {
    assertThat(ports.ledger().setReviewState("ESC-404", COMPLETE, 1, SYNC))
        .isEqualTo(WriteResult.NOT_FOUND);
    assertThat(ports.queue().close("Q-404", FINALIZED, 1, SYNC)).isEqualTo(WriteResult.NOT_FOUND);
  }

  @Test
  void writeWithAnAppliedKeyIsReplayedAndChangesNothing() {
    ports.tracker().setReviewState(ESC.value(), COMPLETE, 1, SYNC);

    WriteResult again =
        ports
            .tracker()
            .setReviewState(ESC.value(), ReviewState.reviewComplete(9, FINALIZED), 2, SYNC);

    assertThat(again).isEqualTo(WriteResult.REPLAYED);
    assertThat(tracker().dispositionVersion()).isEqualTo(1);
    assertThat(tracker().revision()).isEqualTo(2);
    assertThat(sandbox.writes(ESC, TargetSystem.TRACKER)).isEqualTo(1);
  }

  @Test
  void idempotencyKeysAreKeptPerSystem() {
    IdempotencyKey link = new IdempotencyKey("ESC-1:v1:ARCHIVE_LINK").qualified(PACKET.uri());

    assertThat(ports.tracker().linkArchiveRef(ESC.value(), PACKET, 1, link))
        .isEqualTo(WriteResult.APPLIED);
    assertThat(ports.ledger().linkArchiveRef(ESC.value(), PACKET, 1, link))
        .isEqualTo(WriteResult.APPLIED);
    assertThat(sandbox.ledger(ESC).orElseThrow().archiveRefs()).containsExactly(PACKET);
    assertThat(sandbox.writes(ESC))
        .containsEntry(TargetSystem.TRACKER, 1)
        .containsEntry(TargetSystem.LEDGER, 1);
  }

  @Test
  void unlinkRemovesALinkAndCountsAsAWrite() {
    ports.tracker().linkArchiveRef(ESC.value(), PACKET, 1, new IdempotencyKey("link"));

    WriteResult result =
        ports
            .tracker()
            .unlinkArchiveRef(ESC.value(), PACKET.uri(), 2, new IdempotencyKey("unlink"));

    assertThat(result).isEqualTo(WriteResult.APPLIED);
    assertThat(tracker().archiveRefs()).isEmpty();
    assertThat(tracker().revision()).isEqualTo(3);
    assertThat(sandbox.writes(ESC, TargetSystem.TRACKER)).isEqualTo(2);
  }

  @Test
  void queueItemClosesAndRestoresOnRevisions() {
    assertThat(ports.queue().close("Q-1", FINALIZED, 1, new IdempotencyKey("close")))
        .isEqualTo(WriteResult.APPLIED);
    QueueItem closed = sandbox.queueItem(ESC).orElseThrow();
    assertThat(closed.status()).isEqualTo(QueueItem.CLOSED);
    assertThat(closed.closedAt()).isEqualTo(FINALIZED);
    assertThat(closed.revision()).isEqualTo(2);

    assertThat(ports.queue().restoreOpen("Q-1", 1, new IdempotencyKey("restore")))
        .isEqualTo(WriteResult.REVISION_CONFLICT);
    assertThat(ports.queue().restoreOpen("Q-1", 2, new IdempotencyKey("restore")))
        .isEqualTo(WriteResult.APPLIED);
    QueueItem open = sandbox.queueItem(ESC).orElseThrow();
    assertThat(open.status()).isEqualTo(QueueItem.OPEN);
    assertThat(open.closedAt()).isNull();
    assertThat(sandbox.writes(ESC, TargetSystem.QUEUE)).isEqualTo(2);
  }

  @Test
  void noticeIsPostedOncePerKey() {
    CoordinatorNotice notice =
        new CoordinatorNotice(
            CoordinatorNotice.Kind.CLOSURE_PROPAGATION_COMPLETE,
            ESC,
            1,
            List.of(TargetSystem.TRACKER));
    IdempotencyKey key = new IdempotencyKey("ESC-1:v1:COORDINATOR_NOTIFY");

    assertThat(ports.coordinator().post(notice, key)).isEqualTo(WriteResult.APPLIED);
    assertThat(ports.coordinator().post(notice, key)).isEqualTo(WriteResult.REPLAYED);
    assertThat(sandbox.notices(ESC)).containsExactly(notice);
    assertThat(sandbox.writes(ESC, TargetSystem.NOTIFICATION)).isEqualTo(1);
    assertThat(ports.coordinator().name()).isEqualTo("ops-coordinator");
  }

  @Test
  void unavailableRefusesTheNextCallsReadsAndWritesAndAppliesNothing() {
    sandbox.injectFault("tracker", "UNAVAILABLE", 2);

    assertThatThrownBy(() -> ports.tracker().findByEscalation(ESC))
        .isInstanceOfSatisfying(
            TargetUnavailableException.class,
            e -> {
              assertThat(e.outcomeUnknown()).isFalse();
              assertThat(e.system()).isEqualTo(TargetSystem.TRACKER);
            });
    assertThatThrownBy(() -> ports.tracker().setReviewState(ESC.value(), COMPLETE, 1, SYNC))
        .isInstanceOf(TargetUnavailableException.class);
    assertThat(tracker().status()).isEqualTo("IN_REVIEW");
    assertThat(sandbox.writes(ESC, TargetSystem.TRACKER)).isZero();

    // The third call goes through, and the key was never applied.
    assertThat(ports.tracker().findByEscalation(ESC)).isPresent();
    assertThat(ports.tracker().setReviewState(ESC.value(), COMPLETE, 1, SYNC))
        .isEqualTo(WriteResult.APPLIED);
    // Other systems were never affected.
    assertThat(ports.ledger().findByEscalation(ESC)).isPresent();
  }

  @Test
  void unavailableReviewAndArchiveRefuseReads() {
    sandbox.injectFault(TargetSystem.REVIEW, FaultKind.UNAVAILABLE, 1);
    sandbox.injectFault(TargetSystem.ARCHIVE, FaultKind.UNAVAILABLE, 1);

    assertThatThrownBy(() -> ports.review().readEscalation(ESC))
        .isInstanceOf(TargetUnavailableException.class);
    assertThatThrownBy(() -> ports.archive().head(PACKET.uri()))
        .isInstanceOf(TargetUnavailableException.class);
    assertThat(ports.review().readEscalation(ESC)).isPresent();
    assertThat(ports.archive().head(PACKET.uri()))
        .contains(new ArchiveObject(PACKET.uri(), PACKET.sha256()));
  }

  @Test
  void timeoutAppliesTheWriteThenLosesTheAnswer() {
    sandbox.injectFault("ledger", "TIMEOUT", 1);

    // Reads are not affected by a timeout fault.
    assertThat(ports.ledger().findByEscalation(ESC)).isPresent();
    assertThatThrownBy(() -> ports.ledger().setReviewState(ESC.value(), COMPLETE, 1, SYNC))
        .isInstanceOfSatisfying(
            TargetUnavailableException.class, e -> assertThat(e.outcomeUnknown()).isTrue());

    BookkeepingRecord ledger = sandbox.ledger(ESC).orElseThrow();
    assertThat(ledger.status()).isEqualTo(ReviewState.REVIEW_COMPLETE);
    assertThat(ledger.revision()).isEqualTo(2);
    assertThat(sandbox.writes(ESC, TargetSystem.LEDGER)).isEqualTo(1);
    // The retry with the same key is recognised and changes nothing.
    assertThat(ports.ledger().setReviewState(ESC.value(), COMPLETE, 1, SYNC))
        .isEqualTo(WriteResult.REPLAYED);
    assertThat(sandbox.writes(ESC, TargetSystem.LEDGER)).isEqualTo(1);
  }

  @Test
  void timeoutOnQueueAndNotificationAppliesThenThrows() {
    sandbox.injectFault("queue", "TIMEOUT", 1);
    sandbox.injectFault("notification", "TIMEOUT", 1);
    CoordinatorNotice notice =
        new CoordinatorNotice(
            CoordinatorNotice.Kind.CLOSURE_PROPAGATION_COMPLETE, ESC, 1, List.of());

    assertThatThrownBy(() -> ports.queue().close("Q-1", FINALIZED, 1, new IdempotencyKey("c")))
        .isInstanceOf(TargetUnavailableException.class);
    assertThatThrownBy(() -> ports.coordinator().post(notice, new IdempotencyKey("n")))
        .isInstanceOf(TargetUnavailableException.class);

    assertThat(sandbox.queueItem(ESC).orElseThrow().status()).isEqualTo(QueueItem.CLOSED);
    assertThat(sandbox.notices(ESC)).hasSize(1);
    assertThat(ports.coordinator().post(notice, new IdempotencyKey("n")))
        .isEqualTo(WriteResult.REPLAYED);
    assertThat(sandbox.writes(ESC))
        .containsEntry(TargetSystem.QUEUE, 1)
        .containsEntry(TargetSystem.NOTIFICATION, 1);
  }

  @Test
  void conflictMovesTheRevisionBeforeTheWriteButNotTheStatus() {
    sandbox.injectFault("tracker", "CONFLICT", 2);

    assertThat(ports.tracker().findByEscalation(ESC).orElseThrow().revision()).isEqualTo(1);
    assertThat(ports.tracker().setReviewState(ESC.value(), COMPLETE, 1, SYNC))
        .isEqualTo(WriteResult.REVISION_CONFLICT);
    BookkeepingRecord edited = tracker();
    assertThat(edited.revision()).isEqualTo(2);
    assertThat(edited.status()).isEqualTo("IN_REVIEW");
    assertThat(sandbox.foreignEdits(TargetSystem.TRACKER, ESC.value())).isEqualTo(1);

    // Re-read and try again: someone else edits once more.
    assertThat(ports.tracker().setReviewState(ESC.value(), COMPLETE, 2, SYNC))
        .isEqualTo(WriteResult.REVISION_CONFLICT);
    assertThat(ports.tracker().setReviewState(ESC.value(), COMPLETE, 3, SYNC))
        .isEqualTo(WriteResult.APPLIED);
    assertThat(tracker().revision()).isEqualTo(4);
    assertThat(sandbox.writes(ESC, TargetSystem.TRACKER)).isEqualTo(1);
    assertThat(sandbox.armedFaults(TargetSystem.TRACKER)).isZero();
  }

  @Test
  void conflictOnTheQueueRefusesTheClose() {
    sandbox.injectFault("queue", "CONFLICT", 1);

    assertThat(ports.queue().close("Q-1", FINALIZED, 1, new IdempotencyKey("c")))
        .isEqualTo(WriteResult.REVISION_CONFLICT);
    QueueItem item = sandbox.queueItem(ESC).orElseThrow();
    assertThat(item.status()).isEqualTo(QueueItem.OPEN);
    assertThat(item.revision()).isEqualTo(2);
    assertThat(sandbox.writes(ESC, TargetSystem.QUEUE)).isZero();
  }

  @Test
  void conflictOnTheCoordinatorIsUsedUpWithoutEffectBecauseAPostHasNoRevision() {
    sandbox.injectFault("notification", "CONFLICT", 1);
    CoordinatorNotice notice =
        new CoordinatorNotice(
            CoordinatorNotice.Kind.CLOSURE_PROPAGATION_COMPLETE, ESC, 1, List.of());

    assertThat(ports.coordinator().post(notice, new IdempotencyKey("n")))
        .isEqualTo(WriteResult.APPLIED);
    assertThat(sandbox.armedFaults(TargetSystem.NOTIFICATION)).isZero();
  }

  @Test
  void faultsOfOneSystemFireInTheOrderInjected() {
    sandbox.injectFault("tracker", "UNAVAILABLE", 1);
    sandbox.injectFault("tracker", "TIMEOUT", 1);

    assertThatThrownBy(() -> ports.tracker().setReviewState(ESC.value(), COMPLETE, 1, SYNC))
        .isInstanceOfSatisfying(
            TargetUnavailableException.class, e -> assertThat(e.outcomeUnknown()).isFalse());
    assertThatThrownBy(() -> ports.tracker().setReviewState(ESC.value(), COMPLETE, 1, SYNC))
        .isInstanceOfSatisfying(
            TargetUnavailableException.class, e -> assertThat(e.outcomeUnknown()).isTrue());
    assertThat(sandbox.writes(ESC, TargetSystem.TRACKER)).isEqualTo(1);
  }

  @Test
  void unknownSystemOrKindIsAnError() {
    assertThatThrownBy(() -> sandbox.injectFault("mainframe", "UNAVAILABLE", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sandbox.injectFault("tracker", "SLOW", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sandbox.injectFault("audit", "UNAVAILABLE", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sandbox.injectFault("tracker", "TIMEOUT", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void replacingAnEntryKeepsOneRecordPerEscalation() {
    sandbox.putTracker(
        new BookkeepingRecord(
            "TRK-9", ESC, new EpisodeId("EP-2"), "IN_REVIEW", null, null, null, 5));
    sandbox.putQueueItem(new QueueItem("Q-2", ESC, EP, QueueItem.OPEN, null, 3));

    assertThat(tracker().recordId()).isEqualTo("TRK-9");
    assertThat(tracker().episodeId()).isEqualTo(new EpisodeId("EP-2"));
    assertThat(sandbox.queueItem(ESC).orElseThrow().itemId()).isEqualTo("Q-2");
    assertThat(ports.queue().close("Q-1", FINALIZED, 1, new IdempotencyKey("c")))
        .isEqualTo(WriteResult.NOT_FOUND);
  }

  @Test
  void writesOfOneEscalationDoNotCountForAnother() {
    EscalationId other = new EscalationId("ESC-2");
    sandbox.putTracker(new BookkeepingRecord("ESC-2", other, EP, "IN_REVIEW", null, null, null, 1));

    ports
        .tracker()
        .setReviewState("ESC-2", COMPLETE, 1, new IdempotencyKey("ESC-2:v1:TRACKER_SYNC"));

    assertThat(sandbox.writes(other, TargetSystem.TRACKER)).isEqualTo(1);
    assertThat(sandbox.writes(ESC))
        .containsEntry(TargetSystem.TRACKER, 0)
        .containsEntry(TargetSystem.LEDGER, 0)
        .containsEntry(TargetSystem.QUEUE, 0)
        .containsEntry(TargetSystem.NOTIFICATION, 0);
  }

  @Test
  void restrictedValuesAreCountedWhereverTheyAppear() {
    assertThat(sandbox.restrictedValues())
        .contains("TRANSCRIPT-CANARY the outage", "canary@customer.example");

    long count =
        sandbox.countRestrictedOccurrences(
            List.of(
                "log: TRANSCRIPT-CANARY the outage and TRANSCRIPT-CANARY the outage",
                "mail canary@customer.example",
                "nothing here"));

    assertThat(count).isEqualTo(3);
    assertThat(sandbox.restrictedLeaksInTargets()).isZero();
  }

  @Test
  void restrictedValueWrittenToATargetIsALeak() {
    sandbox.putLedger(
        new BookkeepingRecord(ESC.value(), ESC, EP, "Contact Canary", null, null, List.of(), 1));

    assertThat(sandbox.restrictedLeaksInTargets()).isEqualTo(1);
  }
}
