package com.closeout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.SourceStatus;
import com.closeout.domain.TargetSystem;
import com.closeout.followup.FollowUp;
import com.closeout.followup.FollowUpStatus;
import com.closeout.propagation.CloseoutStores;
import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.sandbox.RestrictedContent;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.targets.ArchiveObject;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.QueueItem;
import com.closeout.targets.ReviewState;
import com.closeout.testsupport.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The operator commands against a really served Closeout, as `serve` runs it (webhook, API and
 * background worker, on a schema of its own): they reach the sandbox systems of the serving process
 * through its API, never an empty sandbox of their own.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      // Any URL turns the embedded default off; the DataSource below is the one used.
      "spring.datasource.url=jdbc:postgresql://127.0.0.1/isolated-schema",
      "spring.flyway.enabled=false",
      "closeout.worker.enabled=true",
      "closeout.worker.poll-interval=100ms",
      "closeout.reconciliation.enabled=false"
    })
// The worker polls the schema: stop it with the context, before the schema is dropped.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class OperatorEndToEndTests {

  private static final Instant FINALIZED = Instant.parse("2026-11-20T10:14:58Z");

  @TestConfiguration
  static class Store {
    @Bean(destroyMethod = "close")
    IsolatedSchema operatorSchema() {
      return TestDatabase.freshSchema("operator");
    }

    @Bean
    @Primary
    DataSource dataSource(IsolatedSchema operatorSchema) {
      return operatorSchema.dataSource();
    }
  }

  @LocalServerPort int port;
  @Autowired SandboxSystems sandbox;
  @Autowired CloseoutStores stores;

  private final CloseoutCli cli = CloseoutCli.standard();

  private String server() {
    return "http://localhost:" + port;
  }

  private FakeCommandContext run(int expectedStatus, String... args) {
    FakeCommandContext context = new FakeCommandContext();
    String[] withServer = new String[args.length + 2];
    System.arraycopy(args, 0, withServer, 0, args.length);
    withServer[args.length] = "--server";
    withServer[args.length + 1] = server();
    int status = cli.run(withServer, context);
    assertThat(status).as(context.printed() + context.errors()).isEqualTo(expectedStatus);
    assertThat(context.oneShotStarts + context.serveStarts).isZero();
    return context;
  }

  private static List<ArchiveRef> refs(String escalation) {
    return List.of(
        new ArchiveRef(
            "CLOSURE_PACKET",
            "archive://closure-packets/" + escalation + "/v3.pdf",
            "a".repeat(64)),
        new ArchiveRef(
            "REVIEW_NOTE", "archive://review-notes/" + escalation + "/v3.md", "b".repeat(64)));
  }

  /** A finalized escalation at the source, open downstream; {@code withLedger} maps the ledger. */
  private void load(String escalation, boolean withLedger) {
    EscalationId id = new EscalationId(escalation);
    EpisodeId episode = new EpisodeId("EP-7");
    sandbox.putReview(
        new SourceRecord(
            id,
            episode,
            "SEV1",
            SourceStatus.FINAL,
            "CLOSURE_APPROVED",
            3,
            FINALIZED,
            refs(escalation)),
        new RestrictedContent("transcript", "notes", "discussion", "Jo", "jo@example.com"));
    sandbox.putTracker(
        new BookkeepingRecord(escalation, id, episode, "IN_REVIEW", null, null, List.of(), 1));
    if (withLedger) {
      putLedger(escalation);
    }
    sandbox.putQueueItem(new QueueItem("Q-" + escalation, id, episode, QueueItem.OPEN, null, 1));
    refs(escalation)
        .forEach(ref -> sandbox.putArchiveObject(new ArchiveObject(ref.uri(), ref.sha256())));
  }

  private void putLedger(String escalation) {
    EscalationId id = new EscalationId(escalation);
    sandbox.putLedger(
        new BookkeepingRecord(
            escalation, id, new EpisodeId("EP-7"), "OPEN", null, null, List.of(), 1));
  }

  private static String event(String id, String escalation) {
    String refs =
        """
        [{"kind":"CLOSURE_PACKET","uri":"archive://closure-packets/%1$s/v3.pdf","sha256":"%2$s"},
         {"kind":"REVIEW_NOTE","uri":"archive://review-notes/%1$s/v3.md","sha256":"%3$s"}]"""
            .formatted(escalation, "a".repeat(64), "b".repeat(64));
    return ("""
        {"specversion":"1.0","id":"%s","source":"urn:support:review-board",
         "type":"support.review.disposition.finalized","subject":"%s",
         "time":"2026-11-20T10:15:00Z","datacontenttype":"application/json",
         "data":{"escalationId":"%s","episodeId":"EP-7","disposition":"CLOSURE_APPROVED",
           "dispositionVersion":3,"finalizedAt":"2026-11-20T10:14:58Z",
           "archiveRefs":%s,"requestedActions":[]}}
        """)
        .formatted(id, escalation, escalation, refs)
        .replace("\n", "");
  }

  @Test
  void replayedEventCompletesInTheServingProcessAndRevertRestoresItsTargets(@TempDir Path dir)
      throws Exception {
    load("ESC-OP-1", true);
    BookkeepingRecord trackerBefore = sandbox.tracker(new EscalationId("ESC-OP-1")).orElseThrow();
    BookkeepingRecord ledgerBefore = sandbox.ledger(new EscalationId("ESC-OP-1")).orElseThrow();
    QueueItem queueBefore = sandbox.queueItem(new EscalationId("ESC-OP-1")).orElseThrow();
    Path file =
        Files.writeString(dir.resolve("events.jsonl"), event("evt-op-1", "ESC-OP-1") + "\n");

    FakeCommandContext first = run(0, "replay", file.toString());

    assertThat(first.printed())
        .contains("evt-op-1  CLOSURE_STARTED  closure")
        .contains("ESC-OP-1@v3: COMPLETED");
    EscalationId escalation = new EscalationId("ESC-OP-1");
    assertThat(sandbox.tracker(escalation).orElseThrow().status())
        .isEqualTo(ReviewState.REVIEW_COMPLETE);
    assertThat(sandbox.queueItem(escalation).orElseThrow().status()).isEqualTo(QueueItem.CLOSED);
    Map<TargetSystem, Integer> writes = sandbox.writes(escalation);

    // Replaying the same file again changes nothing.
    FakeCommandContext second = run(0, "replay", file.toString());
    assertThat(second.printed())
        .contains("evt-op-1  DUPLICATE")
        .contains("1 events: 0 started a closure, 1 duplicates, 0 other");
    assertThat(sandbox.writes(escalation)).isEqualTo(writes);

    FakeCommandContext revert = run(0, "revert", "ESC-OP-1", "--version", "3");

    assertThat(revert.printed()).startsWith("reverted ESC-OP-1@v3: undid ");
    BookkeepingRecord tracker = sandbox.tracker(escalation).orElseThrow();
    assertThat(tracker.reviewState()).isEqualTo(trackerBefore.reviewState());
    assertThat(tracker.archiveRefs()).isEqualTo(trackerBefore.archiveRefs());
    BookkeepingRecord ledger = sandbox.ledger(escalation).orElseThrow();
    assertThat(ledger.reviewState()).isEqualTo(ledgerBefore.reviewState());
    assertThat(ledger.archiveRefs()).isEqualTo(ledgerBefore.archiveRefs());
    QueueItem queue = sandbox.queueItem(escalation).orElseThrow();
    assertThat(queue.status()).isEqualTo(queueBefore.status());
    assertThat(queue.closedAt()).isEqualTo(queueBefore.closedAt());
    assertThat(stores.followUps().all(true)).noneMatch(f -> f.escalationId().equals("ESC-OP-1"));

    // The API itself: a closure already reverted cannot be reverted again.
    HttpResponse<String> again =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(server() + "/api/v1/closures/ESC-OP-1/versions/3/revert"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.body()).contains("\"outcome\":\"REFUSED\"");
  }

  @Test
  void retryIsReVerifiedByTheServingWorkerAgainstItsTargets(@TempDir Path dir) throws Exception {
    load("ESC-OP-2", false);
    Path file =
        Files.writeString(dir.resolve("events.jsonl"), event("evt-op-2", "ESC-OP-2") + "\n");
    assertThat(run(0, "replay", file.toString()).printed()).contains("ESC-OP-2@v3: FOLLOW_UP");
    FollowUp missing =
        stores.followUps().all(true).stream()
            .filter(f -> f.escalationId().equals("ESC-OP-2"))
            .findFirst()
            .orElseThrow();
    assertThat(missing.reason().name()).isEqualTo("MAPPING_MISSING");

    putLedger("ESC-OP-2");
    FakeCommandContext retry =
        run(
            0,
            "follow-ups",
            "resolve",
            Long.toString(missing.id()),
            "--retry",
            "--comment",
            "ledger entry added");

    assertThat(retry.printed())
        .contains("RETRIED; closure PENDING")
        .contains("after re-verification: closure COMPLETED");
    assertThat(sandbox.ledger(new EscalationId("ESC-OP-2")).orElseThrow().status())
        .isEqualTo(ReviewState.REVIEW_COMPLETE);
    assertThat(stores.followUps().forClosure(missing.closureId()))
        .extracting(FollowUp::status)
        .containsExactly(FollowUpStatus.RETRIED);
  }

  @Test
  void reconcileReportsALostEventFromTheServingProcessesTargets() {
    load("ESC-OP-LOST", true);

    FakeCommandContext reconcile = run(1, "reconcile", "--since", "2026-11-20T00:00:00Z");

    assertThat(reconcile.printed()).containsPattern("ESC-OP-LOST\\s+v3\\s+LOST_EVENT");
  }
}
