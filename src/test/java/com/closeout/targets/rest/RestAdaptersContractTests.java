package com.closeout.targets.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.IdempotencyKey;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.SourceStatus;
import com.closeout.domain.TargetSystem;
import com.closeout.sandbox.FaultKind;
import com.closeout.sandbox.RestrictedContent;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.sandbox.http.SandboxHttpServer;
import com.closeout.targets.ArchiveObject;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.CoordinatorNotice;
import com.closeout.targets.QueueItem;
import com.closeout.targets.ReviewState;
import com.closeout.targets.ReviewSystem.FinalizedCursor;
import com.closeout.targets.TargetPorts;
import com.closeout.targets.TargetUnavailableException;
import com.closeout.targets.WriteResult;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST adapters against the sandbox's own HTTP server on the reference contract: every port
 * operation, each status code's mapping, Retry-After, lost answers and slow answers.
 */
class RestAdaptersContractTests {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-20T12:00:00Z"), ZoneOffset.UTC);
  private static final EscalationId ESC = new EscalationId("ESC-1042");
  private static final EpisodeId EP = new EpisodeId("EP-7");
  private static final Instant FINALIZED = Instant.parse("2026-11-20T10:14:58Z");
  private static final ArchiveRef PACKET =
      new ArchiveRef("CLOSURE_PACKET", "archive://closure-packets/ESC-1042/v3.pdf", "a".repeat(64));
  private static final ArchiveRef NOTE =
      new ArchiveRef("REVIEW_NOTE", "archive://review-notes/ESC-1042/v3.md", "b".repeat(64));
  private static final SourceRecord RECORD =
      new SourceRecord(
          ESC,
          EP,
          "SEV1",
          SourceStatus.FINAL,
          "CLOSURE_APPROVED",
          3,
          FINALIZED,
          List.of(PACKET, NOTE));

  private SandboxSystems sandbox;
  private SandboxHttpServer server;
  private TargetPorts ports;

  @BeforeEach
  void start() {
    sandbox = new SandboxSystems();
    sandbox.putReview(
        RECORD,
        new RestrictedContent(
            "TRANSCRIPT-CANARY",
            "CONCESSION-CANARY",
            "DISCUSSION-CANARY",
            "NAME-CANARY",
            "canary@customer.example"));
    sandbox.putTracker(
        new BookkeepingRecord("TRK-1", ESC, EP, "IN_REVIEW", null, null, List.of(), 4));
    sandbox.putLedger(new BookkeepingRecord("LED-1", ESC, EP, "OPEN", null, null, List.of(), 1));
    sandbox.putQueueItem(new QueueItem("Q-1", ESC, EP, QueueItem.OPEN, null, 2));
    sandbox.putArchiveObject(new ArchiveObject(PACKET.uri(), PACKET.sha256()));
    server = SandboxHttpServer.start(sandbox, 0);
    ports = RestTargets.onOneServer(server.baseUrl(), CLOCK);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static IdempotencyKey key(String step) {
    return new IdempotencyKey("ESC-1042:3:" + step);
  }

  @Test
  void reviewRecordIsReadWithoutItsRestrictedFields() {
    assertThat(ports.review().readEscalation(ESC)).contains(RECORD);
    assertThat(ports.review().readEscalation(new EscalationId("ESC-404"))).isEmpty();
  }

  @Test
  void finalizedRecordsArePagedInFinalizedOrderAfterTheCursor() {
    SourceRecord later =
        new SourceRecord(
            new EscalationId("ESC-2000"),
            EP,
            "SEV1",
            SourceStatus.FINAL,
            "CLOSURE_APPROVED",
            1,
            FINALIZED.plusSeconds(60),
            List.of());
    sandbox.putReview(later, null);
    sandbox.putReview(
        new SourceRecord(
            new EscalationId("ESC-3000"),
            EP,
            "SEV1",
            SourceStatus.IN_REVIEW,
            "CLOSURE_APPROVED",
            1,
            null,
            List.of()),
        null);

    List<SourceRecord> first =
        ports.review().finalizedAfter(FinalizedCursor.from(Instant.EPOCH), 1);
    List<SourceRecord> second =
        ports.review().finalizedAfter(FinalizedCursor.after(first.get(0)), 10);

    assertThat(first).containsExactly(RECORD);
    assertThat(second).containsExactly(later);
  }

  @Test
  void bookkeepingRecordIsReadWithItsRevisionAndConditionallyUpdated() {
    BookkeepingRecord tracker = ports.tracker().findByEscalation(ESC).orElseThrow();
    assertThat(tracker.recordId()).isEqualTo("TRK-1");
    assertThat(tracker.revision()).isEqualTo(4);

    ReviewState complete = ReviewState.reviewComplete(3, FINALIZED);
    assertThat(ports.tracker().setReviewState("TRK-1", complete, 4, key("TRACKER_SYNC")))
        .isEqualTo(WriteResult.APPLIED);
    assertThat(ports.tracker().setReviewState("TRK-1", complete, 4, key("TRACKER_SYNC")))
        .isEqualTo(WriteResult.REPLAYED);
    assertThat(ports.tracker().setReviewState("TRK-1", complete, 4, key("other")))
        .isEqualTo(WriteResult.REVISION_CONFLICT);
    assertThat(ports.tracker().setReviewState("TRK-9", complete, 1, key("missing")))
        .isEqualTo(WriteResult.NOT_FOUND);

    assertThat(sandbox.tracker(ESC).orElseThrow().reviewState()).isEqualTo(complete);
    assertThat(sandbox.tracker(ESC).orElseThrow().revision()).isEqualTo(5);
    assertThat(ports.ledger().findByEscalation(new EscalationId("ESC-404"))).isEmpty();
  }

  @Test
  void archiveReferencesAreLinkedAndUnlinkedOnTheLedger() {
    assertThat(ports.ledger().linkArchiveRef("LED-1", PACKET, 1, key("ARCHIVE_LINK:packet")))
        .isEqualTo(WriteResult.APPLIED);
    assertThat(ports.ledger().linkArchiveRef("LED-1", NOTE, 2, key("ARCHIVE_LINK:note")))
        .isEqualTo(WriteResult.APPLIED);
    assertThat(ports.ledger().findByEscalation(ESC).orElseThrow().archiveRefs())
        .containsExactly(PACKET, NOTE);

    assertThat(ports.ledger().unlinkArchiveRef("LED-1", NOTE.uri(), 3, key("REVERT:note")))
        .isEqualTo(WriteResult.APPLIED);
    assertThat(sandbox.ledger(ESC).orElseThrow().archiveRefs()).containsExactly(PACKET);
  }

  @Test
  void queueItemIsClosedAndRestoredForARevert() {
    QueueItem item = ports.queue().findByEscalation(ESC).orElseThrow();
    assertThat(item.revision()).isEqualTo(2);

    assertThat(ports.queue().close("Q-1", FINALIZED, 2, key("QUEUE_CLOSE")))
        .isEqualTo(WriteResult.APPLIED);
    QueueItem closed = ports.queue().findByEscalation(ESC).orElseThrow();
    assertThat(closed.status()).isEqualTo(QueueItem.CLOSED);
    assertThat(closed.closedAt()).isEqualTo(FINALIZED);

    assertThat(ports.queue().restoreOpen("Q-1", 3, key("REVERT:queue")))
        .isEqualTo(WriteResult.APPLIED);
    assertThat(sandbox.queueItem(ESC).orElseThrow().status()).isEqualTo(QueueItem.OPEN);
    assertThat(sandbox.queueItem(ESC).orElseThrow().closedAt()).isNull();
  }

  @Test
  void archiveHeadGivesTheDigestOrNothing() {
    assertThat(ports.archive().head(PACKET.uri()))
        .contains(new ArchiveObject(PACKET.uri(), PACKET.sha256()));
    assertThat(ports.archive().head(NOTE.uri())).isEmpty();
  }

  @Test
  void noticeIsPostedOnceAndItsRetryIsAReplay() {
    CoordinatorNotice notice =
        new CoordinatorNotice(
            CoordinatorNotice.Kind.CLOSURE_PROPAGATION_COMPLETE,
            ESC,
            3,
            List.of(TargetSystem.TRACKER, TargetSystem.LEDGER, TargetSystem.QUEUE));

    assertThat(ports.coordinator().post(notice, key("COORDINATOR_NOTIFY")))
        .isEqualTo(WriteResult.APPLIED);
    assertThat(ports.coordinator().post(notice, key("COORDINATOR_NOTIFY")))
        .isEqualTo(WriteResult.REPLAYED);

    assertThat(sandbox.notices(ESC)).containsExactly(notice);
    assertThat(ports.coordinator().name()).isEqualTo("ops-coordinator");
  }

  @Test
  void notFoundOnAReadIsAbsentAndOnAWriteIsNotFound() {
    server.respondWith(TargetSystem.QUEUE, 404, 2, null);

    assertThat(ports.queue().findByEscalation(ESC)).isEmpty();
    assertThat(ports.queue().close("Q-1", FINALIZED, 2, key("QUEUE_CLOSE")))
        .isEqualTo(WriteResult.NOT_FOUND);
    assertThat(sandbox.queueItem(ESC).orElseThrow().status()).isEqualTo(QueueItem.OPEN);
  }

  @Test
  void conflictAndPreconditionFailedAreRevisionConflicts() {
    server.respondWith(TargetSystem.TRACKER, 409, 1, null);
    server.respondWith(TargetSystem.TRACKER, 412, 1, null);
    ReviewState complete = ReviewState.reviewComplete(3, FINALIZED);

    assertThat(ports.tracker().setReviewState("TRK-1", complete, 4, key("a")))
        .isEqualTo(WriteResult.REVISION_CONFLICT);
    assertThat(ports.tracker().setReviewState("TRK-1", complete, 4, key("b")))
        .isEqualTo(WriteResult.REVISION_CONFLICT);
  }

  @Test
  void sandboxConflictFaultIsARevisionConflict() {
    sandbox.injectFault(TargetSystem.LEDGER, FaultKind.CONFLICT, 1);

    assertThat(
            ports
                .ledger()
                .setReviewState("LED-1", ReviewState.reviewComplete(3, FINALIZED), 1, key("s")))
        .isEqualTo(WriteResult.REVISION_CONFLICT);
  }

  @Test
  void throttledCallIsUnavailableWithTheRetryAfterTheTargetAskedFor() {
    server.respondWith(TargetSystem.REVIEW, 429, 1, 7);

    assertThatThrownBy(() -> ports.review().readEscalation(ESC))
        .isInstanceOfSatisfying(
            TargetUnavailableException.class,
            e -> {
              assertThat(e.system()).isEqualTo(TargetSystem.REVIEW);
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
              assertThat(e.outcomeUnknown()).isFalse();
            });
    assertThat(ports.review().readEscalation(ESC)).isPresent();
  }

  @Test
  void unavailableTargetIsUnavailableAndNothingIsApplied() {
    sandbox.injectFault(TargetSystem.QUEUE, FaultKind.UNAVAILABLE, 1);

    assertThatThrownBy(() -> ports.queue().close("Q-1", FINALIZED, 2, key("QUEUE_CLOSE")))
        .isInstanceOfSatisfying(
            TargetUnavailableException.class,
            e -> {
              assertThat(e.outcomeUnknown()).isFalse();
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
            });
    assertThat(sandbox.queueItem(ESC).orElseThrow().status()).isEqualTo(QueueItem.OPEN);
  }

  @Test
  void serverErrorOnAWriteLeavesItsOutcomeUnknown() {
    server.respondWith(TargetSystem.NOTIFICATION, 500, 1, null);
    CoordinatorNotice notice =
        new CoordinatorNotice(
            CoordinatorNotice.Kind.CLOSURE_PROPAGATION_COMPLETE, ESC, 3, List.of());

    assertThatThrownBy(() -> ports.coordinator().post(notice, key("COORDINATOR_NOTIFY")))
        .isInstanceOfSatisfying(
            TargetUnavailableException.class, e -> assertThat(e.outcomeUnknown()).isTrue());
  }

  @Test
  void lostAnswerOfAnAppliedWriteIsUnavailableWithOutcomeUnknownAndComesQuickly() {
    sandbox.injectFault(TargetSystem.TRACKER, FaultKind.TIMEOUT, 1);
    ReviewState complete = ReviewState.reviewComplete(3, FINALIZED);
    long began = System.nanoTime();

    assertThatThrownBy(() -> ports.tracker().setReviewState("TRK-1", complete, 4, key("s")))
        .isInstanceOfSatisfying(
            TargetUnavailableException.class, e -> assertThat(e.outcomeUnknown()).isTrue());

    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(2));
    assertThat(sandbox.tracker(ESC).orElseThrow().reviewState()).isEqualTo(complete);
    // The retry with the same key is recognised: the write is not applied twice.
    assertThat(ports.tracker().setReviewState("TRK-1", complete, 4, key("s")))
        .isEqualTo(WriteResult.REPLAYED);
  }

  @Test
  void slowTargetTimesOutAfterTheReadTimeout() {
    server.delay(TargetSystem.LEDGER, Duration.ofMillis(1500));
    RestEndpoint endpoint =
        new RestEndpoint(
            TargetSystem.LEDGER,
            server.baseUrl(),
            null,
            Duration.ofSeconds(1),
            Duration.ofMillis(200));
    var ledger = RestTargets.ledger(endpoint, CLOCK);
    long began = System.nanoTime();

    assertThatThrownBy(
            () ->
                ledger.setReviewState(
                    "LED-1", ReviewState.reviewComplete(3, FINALIZED), 1, key("slow")))
        .isInstanceOfSatisfying(
            TargetUnavailableException.class,
            e -> {
              assertThat(e.outcomeUnknown()).isTrue();
              assertThat(e.getMessage()).contains("timed out");
            });
    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofMillis(1400));
    assertThatThrownBy(() -> ledger.findByEscalation(ESC))
        .isInstanceOfSatisfying(
            TargetUnavailableException.class, e -> assertThat(e.outcomeUnknown()).isFalse());
  }

  @Test
  void refusedConnectionIsUnavailableWithNothingApplied() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    var queue =
        RestTargets.queue(
            RestEndpoint.plain(TargetSystem.QUEUE, URI.create("http://127.0.0.1:" + port)), CLOCK);

    assertThatThrownBy(() -> queue.close("Q-1", FINALIZED, 2, key("QUEUE_CLOSE")))
        .isInstanceOfSatisfying(
            TargetUnavailableException.class, e -> assertThat(e.outcomeUnknown()).isFalse());
  }

  @Test
  void bearerTokenIsSentAndARefusedOneIsUnavailable() {
    SandboxHttpServer guarded =
        SandboxHttpServer.start(
            sandbox, new InetSocketAddress("127.0.0.1", 0), "Bearer s3cret-token");
    try {
      RestEndpoint withToken =
          new RestEndpoint(
              TargetSystem.REVIEW,
              guarded.baseUrl(),
              new Authentication.Bearer(Secret.of("s3cret-token", "test")),
              null,
              null);
      RestEndpoint wrongToken =
          new RestEndpoint(
              TargetSystem.REVIEW,
              guarded.baseUrl(),
              new Authentication.Bearer(Secret.of("wrong", "test")),
              null,
              null);

      assertThat(RestTargets.review(withToken, CLOCK).readEscalation(ESC)).isPresent();
      assertThatThrownBy(() -> RestTargets.review(wrongToken, CLOCK).readEscalation(ESC))
          .isInstanceOfSatisfying(
              TargetUnavailableException.class,
              e -> assertThat(e.getMessage()).contains("401").doesNotContain("wrong"));
    } finally {
      guarded.close();
    }
  }

  @Test
  void basicCredentialsAreSentAsTheAuthorizationHeader() {
    Authentication basic = new Authentication.Basic("closeout", Secret.of("pa55", "test"));
    assertThat(basic.authorizationHeader()).contains("Basic Y2xvc2VvdXQ6cGE1NQ==");
    assertThat(basic.toString()).doesNotContain("pa55");
  }

  @Test
  void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
    assertThat(ContractClient.parseRetryAfter("120", CLOCK)).contains(Duration.ofMinutes(2));
    assertThat(ContractClient.parseRetryAfter("Fri, 20 Nov 2026 12:00:30 GMT", CLOCK))
        .contains(Duration.ofSeconds(30));
    assertThat(ContractClient.parseRetryAfter("Fri, 20 Nov 2026 11:00:00 GMT", CLOCK))
        .contains(Duration.ZERO);
    assertThat(ContractClient.parseRetryAfter("soon", CLOCK)).isEmpty();
  }
}
