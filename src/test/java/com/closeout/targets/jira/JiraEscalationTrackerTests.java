package com.closeout.targets.jira;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.IdempotencyKey;
import com.closeout.domain.TargetSystem;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.ReviewState;
import com.closeout.targets.TargetUnavailableException;
import com.closeout.targets.WriteResult;
import com.closeout.targets.rest.Authentication;
import com.closeout.targets.rest.ContractClient;
import com.closeout.targets.rest.RestEndpoint;
import com.closeout.targets.rest.Secret;
import com.closeout.targets.rest.TargetCheck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JiraEscalationTrackerTests {
  private static final Instant CLOSED = Instant.parse("2026-11-20T10:14:58Z");
  private static final IdempotencyKey KEY = new IdempotencyKey("ESC-1:1:TRACKER_SYNC");
  private static final ArchiveRef PACKET =
      new ArchiveRef("CLOSURE_PACKET", "archive://closure-packets/ESC-1/v1.pdf", "c".repeat(64));

  private FakeJira jira;
  private ContractClient client;
  private JiraSettings settings;
  private JiraEscalationTracker tracker;

  @BeforeEach
  void start() {
    jira = FakeJira.launch();
    client = client(FakeJira.TOKEN);
    settings = settings(50);
    tracker = new JiraEscalationTracker(client, settings);
    jira.put("SUP-7", "ESC-1", "EP-1", "In Review");
  }

  @AfterEach
  void stop() {
    jira.shutdown();
  }

  private ContractClient client(String token) {
    return new ContractClient(
        new RestEndpoint(
            TargetSystem.TRACKER,
            jira.baseUrl(),
            new Authentication.Basic(FakeJira.EMAIL, Secret.of(token, "test")),
            Duration.ofSeconds(2),
            Duration.ofSeconds(2)),
        Clock.fixed(CLOSED, ZoneOffset.UTC));
  }

  private static JiraSettings settings(int pageSize) {
    return new JiraSettings(
        FakeJira.PROJECT,
        FakeJira.ESCALATION,
        FakeJira.EPISODE,
        FakeJira.VERSION,
        FakeJira.CLOSED_AT,
        "Review Complete",
        pageSize,
        null);
  }

  private BookkeepingRecord find() {
    return tracker.findByEscalation(new EscalationId("ESC-1")).orElseThrow();
  }

  @Test
  void findsTheIssueWhoseEscalationFieldIsExactlyTheIdAcrossSearchPages() {
    // A text search finds ESC-10 and ESC-11 for "ESC-1" too; with one issue per page the match
    // is on the last page.
    jira.put("SUP-1", "ESC-10", "EP-9", "In Review");
    jira.put("SUP-2", "ESC-11", "EP-9", "In Review");
    jira.issues().remove("SUP-7");
    jira.put("SUP-7", "ESC-1", "EP-1", "In Review");
    tracker = new JiraEscalationTracker(client, settings(1));

    BookkeepingRecord record = find();

    assertThat(record.recordId()).isEqualTo("SUP-7");
    assertThat(record.escalationId()).isEqualTo(new EscalationId("ESC-1"));
    assertThat(record.episodeId()).isEqualTo(new EpisodeId("EP-1"));
    assertThat(record.status()).isEqualTo("In Review");
    assertThat(record.dispositionVersion()).isNull();
    assertThat(record.revision()).isEqualTo(jira.issue("SUP-7").updated);
    jira.server()
        .verify(
            3,
            postRequestedFor(urlEqualTo("/rest/api/3/search/jql"))
                .withHeader("Authorization", equalTo(basic()))
                .withRequestBody(
                    equalToJson(
                        "{\"jql\":\"project = \\\"SUP\\\" AND cf[10040] ~ \\\"\\\\\\\"ESC-1\\\\\\\"\\\"\","
                            + "\"maxResults\":1}",
                        true,
                        true)));
    jira.server()
        .verify(
            postRequestedFor(urlEqualTo("/rest/api/3/search/jql"))
                .withRequestBody(equalToJson("{\"nextPageToken\":\"2\"}", true, true)));
  }

  @Test
  void anEscalationNoIssueHoldsIsNotFound() {
    assertThat(tracker.findByEscalation(new EscalationId("ESC-404"))).isEmpty();
  }

  @Test
  void twoIssuesHoldingTheSameEscalationAreReportedNotGuessed() {
    jira.put("SUP-8", "ESC-1", "EP-1", "In Review");

    assertThatThrownBy(this::find)
        .isInstanceOf(TargetUnavailableException.class)
        .hasMessageContaining("2 issues in SUP hold escalation ESC-1");
  }

  @Test
  void reviewCompleteTransitionsTheIssueSetsTheFieldsAndReadsThemBack() {
    BookkeepingRecord before = find();

    WriteResult result =
        tracker.setReviewState(
            "SUP-7", ReviewState.reviewComplete(3, CLOSED), before.revision(), KEY);

    assertThat(result).isEqualTo(WriteResult.APPLIED);
    BookkeepingRecord after = find();
    assertThat(after.reviewState()).isEqualTo(ReviewState.reviewComplete(3, CLOSED));
    assertThat(jira.issue("SUP-7").status).isEqualTo("Review Complete");
    jira.server()
        .verify(
            postRequestedFor(urlEqualTo("/rest/api/3/issue/SUP-7/transitions"))
                .withRequestBody(equalToJson("{\"transition\":{\"id\":\"31\"}}")));
    jira.server()
        .verify(
            putRequestedFor(urlEqualTo("/rest/api/3/issue/SUP-7?notifyUsers=false"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(
                    equalToJson(
                        "{\"fields\":{\"customfield_10042\":3,"
                            + "\"customfield_10043\":\"2026-11-20T10:14:58.000+0000\"}}")));
  }

  @Test
  void anIssueAlreadyInTheStateIsNotWrittenAgain() {
    tracker.setReviewState("SUP-7", ReviewState.reviewComplete(3, CLOSED), find().revision(), KEY);
    jira.server().resetRequests();

    WriteResult again =
        tracker.setReviewState(
            "SUP-7", ReviewState.reviewComplete(3, CLOSED), find().revision(), KEY);

    assertThat(again).isEqualTo(WriteResult.REPLAYED);
    jira.server().verify(0, putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-7")));
  }

  @Test
  void anIssueUpdatedSinceItWasReadIsRefusedBeforeAnyWrite() {
    long read = find().revision();
    jira.foreignEdit("SUP-7");

    WriteResult result =
        tracker.setReviewState("SUP-7", ReviewState.reviewComplete(3, CLOSED), read, KEY);

    assertThat(result).isEqualTo(WriteResult.REVISION_CONFLICT);
    jira.server().verify(0, putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-7")));
    jira.server().verify(0, postRequestedFor(urlEqualTo("/rest/api/3/issue/SUP-7/transitions")));
  }

  @Test
  void anEditBetweenTheWriteAndTheReadBackIsReportedAsAConflict() {
    jira.afterNextEdit(() -> jira.issue("SUP-7").fields.put(FakeJira.VERSION, 9));

    WriteResult result =
        tracker.setReviewState(
            "SUP-7", ReviewState.reviewComplete(3, CLOSED), find().revision(), KEY);

    assertThat(result).isEqualTo(WriteResult.REVISION_CONFLICT);
  }

  @Test
  void revertTransitionsBackToThePriorStatusAndClearsTheFields() {
    tracker.setReviewState("SUP-7", ReviewState.reviewComplete(3, CLOSED), find().revision(), KEY);

    WriteResult result =
        tracker.setReviewState(
            "SUP-7", new ReviewState("In Review", null, null), find().revision(), KEY);

    assertThat(result).isEqualTo(WriteResult.APPLIED);
    assertThat(find().reviewState()).isEqualTo(new ReviewState("In Review", null, null));
    jira.server()
        .verify(
            putRequestedFor(urlPathEqualTo("/rest/api/3/issue/SUP-7"))
                .withRequestBody(
                    equalToJson(
                        "{\"fields\":{\"customfield_10042\":null,\"customfield_10043\":null}}")));
  }

  @Test
  void aWorkflowWithoutTheTransitionIsReportedWithBothStatuses() {
    jira.server()
        .stubFor(
            get(urlEqualTo("/rest/api/3/issue/SUP-7/transitions"))
                .atPriority(1)
                .willReturn(
                    aResponse()
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"transitions\":[]}")));

    assertThatThrownBy(
            () ->
                tracker.setReviewState(
                    "SUP-7", ReviewState.reviewComplete(3, CLOSED), find().revision(), KEY))
        .isInstanceOf(TargetUnavailableException.class)
        .hasMessageContaining("no transition from 'In Review' to 'Review Complete' on SUP-7");
  }

  @Test
  void anArchiveReferenceBecomesOneRemoteLinkWhoseGlobalIdComesFromTheUri() {
    WriteResult first = tracker.linkArchiveRef("SUP-7", PACKET, find().revision(), KEY);
    WriteResult second = tracker.linkArchiveRef("SUP-7", PACKET, find().revision(), KEY);

    assertThat(first).isEqualTo(WriteResult.APPLIED);
    assertThat(second).isEqualTo(WriteResult.REPLAYED);
    assertThat(find().archiveRefs()).containsExactly(PACKET);
    assertThat(jira.issue("SUP-7").links).hasSize(1);
    String globalId = JiraEscalationTracker.globalId(PACKET.uri());
    assertThat(globalId).startsWith("closeout:archive:").hasSizeLessThanOrEqualTo(255);
    jira.server()
        .verify(
            1,
            postRequestedFor(urlEqualTo("/rest/api/3/issue/SUP-7/remotelink"))
                .withRequestBody(
                    equalToJson(
                        "{\"globalId\":\""
                            + globalId
                            + "\",\"relationship\":\"archive reference\",\"object\":{\"url\":\""
                            + PACKET.uri()
                            + "\",\"title\":\"CLOSURE_PACKET\",\"summary\":\"sha256:"
                            + "c".repeat(64)
                            + "\"}}")));
  }

  @Test
  void jiraKeepsOneLinkPerGlobalIdEvenWhenTwoWritersPostIt() {
    // Another Closeout instance posted the same link between our read and our POST: Jira updates.
    long revision = find().revision();
    jira.server().resetRequests();
    tracker.linkArchiveRef("SUP-7", PACKET, revision, KEY);
    jira.issue("SUP-7").links.clear();
    tracker.linkArchiveRef("SUP-7", PACKET, revision, KEY);
    tracker.linkArchiveRef("SUP-7", PACKET, revision, KEY);

    assertThat(jira.issue("SUP-7").links).hasSize(1);
  }

  @Test
  void unlinkDeletesTheRemoteLinkByGlobalIdAndAnAbsentLinkCountsAsDone() {
    tracker.linkArchiveRef("SUP-7", PACKET, find().revision(), KEY);

    WriteResult removed = tracker.unlinkArchiveRef("SUP-7", PACKET.uri(), find().revision(), KEY);
    WriteResult again = tracker.unlinkArchiveRef("SUP-7", PACKET.uri(), find().revision(), KEY);

    assertThat(removed).isEqualTo(WriteResult.APPLIED);
    assertThat(again).isEqualTo(WriteResult.REPLAYED);
    assertThat(find().archiveRefs()).isEmpty();
    jira.server()
        .verify(
            2,
            deleteRequestedFor(
                urlEqualTo(
                    "/rest/api/3/issue/SUP-7/remotelink?globalId="
                        + ContractClient.query(JiraEscalationTracker.globalId(PACKET.uri())))));
  }

  @Test
  void linksOthersAddedByHandAreNotReadAsArchiveReferences() {
    var link = tools.jackson.databind.json.JsonMapper.builder().build().createObjectNode();
    link.put("globalId", "system=https://wiki.example/page&id=1");
    link.putObject("object").put("url", "https://wiki.example/page").put("title", "Runbook");
    jira.issue("SUP-7").links.put("x", link);

    assertThat(find().archiveRefs()).isEmpty();
  }

  @Test
  void aMissingIssueIsNotFoundForEveryWrite() {
    assertThat(tracker.setReviewState("SUP-404", ReviewState.reviewComplete(3, CLOSED), 1, KEY))
        .isEqualTo(WriteResult.NOT_FOUND);
    assertThat(tracker.linkArchiveRef("SUP-404", PACKET, 1, KEY)).isEqualTo(WriteResult.NOT_FOUND);
    assertThat(tracker.unlinkArchiveRef("SUP-404", PACKET.uri(), 1, KEY))
        .isEqualTo(WriteResult.NOT_FOUND);
  }

  @Test
  void aConflictAnswerToTheEditIsARevisionConflict() {
    jira.server()
        .stubFor(
            put(urlPathEqualTo("/rest/api/3/issue/SUP-7"))
                .atPriority(1)
                .willReturn(FakeJira.jsonBuilder(409, "The issue was changed by another user.")));

    assertThat(
            tracker.setReviewState(
                "SUP-7", new ReviewState("In Review", 3, CLOSED), find().revision(), KEY))
        .isEqualTo(WriteResult.REVISION_CONFLICT);
  }

  @Test
  void throttlingIsUnavailableWithTheRetryAfterJiraSent() {
    jira.failNext(
        aResponse()
            .withStatus(429)
            .withHeader("Retry-After", "30")
            .withHeader("Content-Type", "application/json")
            .withBody("{\"errorMessages\":[\"Rate limit exceeded.\"],\"errors\":{}}")
            .build());

    assertThatThrownBy(this::find)
        .isInstanceOfSatisfying(
            TargetUnavailableException.class,
            e -> {
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
              assertThat(e.outcomeUnknown()).isFalse();
              assertThat(e.getMessage()).contains("429");
            });
  }

  @Test
  void serviceUnavailableOnAWriteIsUnavailableAndNothingWasApplied() {
    long revision = find().revision();
    jira.server()
        .stubFor(
            put(urlPathEqualTo("/rest/api/3/issue/SUP-7"))
                .atPriority(1)
                .willReturn(
                    aResponse()
                        .withStatus(503)
                        .withHeader("Retry-After", "5")
                        .withBody("{\"errorMessages\":[\"Service unavailable\"],\"errors\":{}}")));

    assertThatThrownBy(
            () ->
                tracker.setReviewState(
                    "SUP-7", new ReviewState("In Review", 3, CLOSED), revision, KEY))
        .isInstanceOfSatisfying(
            TargetUnavailableException.class,
            e -> {
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(5));
              assertThat(e.outcomeUnknown()).isFalse();
            });
  }

  @Test
  void refusedCredentialsSayHttp401AndNeverTheToken() {
    tracker = new JiraEscalationTracker(client("wrong-token"), settings);

    assertThatThrownBy(this::find)
        .isInstanceOf(TargetUnavailableException.class)
        .hasMessageContaining("HTTP 401 (credentials refused)")
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .doesNotContain("wrong-token")
                    .doesNotContain(FakeJira.EMAIL));
  }

  @Test
  void aBadRequestNamesTheRejectedFieldsButNotJirasMessage() {
    jira.server()
        .stubFor(
            put(urlPathEqualTo("/rest/api/3/issue/SUP-7"))
                .atPriority(1)
                .willReturn(
                    aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody(
                            "{\"errorMessages\":[],\"errors\":{\"customfield_10042\":"
                                + "\"Field 'customfield_10042' cannot be set. It is not on the"
                                + " appropriate screen, or unknown.\"}}")));

    assertThatThrownBy(
            () ->
                tracker.setReviewState(
                    "SUP-7", new ReviewState("In Review", 3, CLOSED), find().revision(), KEY))
        .isInstanceOf(TargetUnavailableException.class)
        .hasMessageContaining("Jira rejected customfield_10042")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("screen"));
  }

  @Test
  void checkConfigReportsReachableAuthAndContractFromReadOnlyCalls() {
    TargetCheck ok = JiraProbe.check(client, settings);
    TargetCheck badField =
        JiraProbe.check(
            client,
            new JiraSettings(
                "SUP",
                "customfield_99999",
                FakeJira.EPISODE,
                FakeJira.VERSION,
                FakeJira.CLOSED_AT,
                "Review Complete",
                null,
                null));
    TargetCheck badAuth = JiraProbe.check(client("wrong"), settings);
    jira.shutdown();
    TargetCheck down = JiraProbe.check(client, settings);

    assertThat(ok.passed()).as(ok.detail()).isTrue();
    assertThat(badField.reachable()).isTrue();
    assertThat(badField.authOk()).isTrue();
    assertThat(badField.contractOk()).isFalse();
    assertThat(badField.detail()).contains("no field customfield_99999");
    assertThat(badAuth.authOk()).isFalse();
    assertThat(badAuth.detail()).contains("401").doesNotContain("wrong");
    assertThat(down.reachable()).isFalse();
    jira = FakeJira.launch();
  }

  @Test
  void checkConfigWritesNothing() {
    JiraProbe.check(client, settings);

    assertThat(jira.server().getAllServeEvents())
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.getRequest().getMethod().getName()).isEqualTo("GET"));
  }

  private static String basic() {
    return "Basic "
        + java.util.Base64.getEncoder()
            .encodeToString((FakeJira.EMAIL + ":" + FakeJira.TOKEN).getBytes());
  }
}
