package com.closeout.targets.servicenow;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
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
import com.closeout.targets.servicenow.ServiceNowSettings.ClosedAtFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceNowCaseLedgerTests {
  private static final Instant CLOSED = Instant.parse("2026-11-20T10:14:58Z");
  private static final IdempotencyKey KEY = new IdempotencyKey("ESC-1:1:LEDGER_SYNC");
  private static final ArchiveRef PACKET =
      new ArchiveRef("CLOSURE_PACKET", "archive://closure-packets/ESC-1/v1.pdf", "c".repeat(64));
  private static final ArchiveRef NOTE =
      new ArchiveRef("REVIEW_NOTE", "archive://review-notes/ESC-1/v1.md", "d".repeat(64));
  private static final String TABLE_PATH = "/api/now/table/" + FakeServiceNow.TABLE;

  private FakeServiceNow now;
  private ContractClient client;
  private ServiceNowCaseLedger ledger;
  private String sysId;

  @BeforeEach
  void start() {
    now = FakeServiceNow.launch();
    client = client(FakeServiceNow.PASSWORD);
    ledger = new ServiceNowCaseLedger(client, ServiceNowSettings.forTable(FakeServiceNow.TABLE));
    sysId = now.put("ESC-1", "EP-1", "open");
  }

  @AfterEach
  void stop() {
    now.shutdown();
  }

  private ContractClient client(String password) {
    return new ContractClient(
        new RestEndpoint(
            TargetSystem.LEDGER,
            now.baseUrl(),
            new Authentication.Basic(FakeServiceNow.USER, Secret.of(password, "test")),
            Duration.ofSeconds(2),
            Duration.ofSeconds(2)),
        Clock.fixed(CLOSED, ZoneOffset.UTC));
  }

  private BookkeepingRecord find() {
    return ledger.findByEscalation(new EscalationId("ESC-1")).orElseThrow();
  }

  @Test
  void findsTheRecordByAnEncodedQueryOnTheEscalationColumnWithOnlyTheColumnsItReads() {
    now.put("ESC-10", "EP-9", "open");

    BookkeepingRecord record = find();

    assertThat(record.recordId()).isEqualTo(sysId);
    assertThat(record.escalationId()).isEqualTo(new EscalationId("ESC-1"));
    assertThat(record.episodeId()).isEqualTo(new EpisodeId("EP-1"));
    assertThat(record.status()).isEqualTo("open");
    assertThat(record.dispositionVersion()).isNull();
    assertThat(record.closedAt()).isNull();
    assertThat(record.archiveRefs()).isEmpty();
    assertThat(record.revision()).isZero();
    now.server()
        .verify(
            getRequestedFor(urlPathEqualTo(TABLE_PATH))
                .withQueryParam("sysparm_query", equalTo("u_escalation_id=ESC-1"))
                .withQueryParam(
                    "sysparm_fields",
                    equalTo(
                        "sys_id,sys_mod_count,u_escalation_id,u_episode_id,u_review_status,"
                            + "u_disposition_version,u_closed_at,u_archive_refs"))
                .withQueryParam("sysparm_limit", equalTo("2"))
                .withQueryParam("sysparm_display_value", equalTo("false"))
                .withQueryParam("sysparm_exclude_reference_link", equalTo("true"))
                .withHeader("Accept", equalTo("application/json")));
  }

  @Test
  void anEscalationWithoutARecordIsNotFoundAndTwoRecordsAreReportedNotGuessed() {
    assertThat(ledger.findByEscalation(new EscalationId("ESC-404"))).isEmpty();

    now.put("ESC-1", "EP-1", "open");
    assertThatThrownBy(this::find)
        .isInstanceOf(TargetUnavailableException.class)
        .hasMessageContaining("more than one u_support_case record holds escalation ESC-1");
  }

  @Test
  void anIdThatWouldChangeTheEncodedQueryIsRefusedBeforeAnyCall() {
    assertThatThrownBy(() -> ledger.findByEscalation(new EscalationId("ESC-1^ORsys_id!=x")))
        .isInstanceOf(TargetUnavailableException.class);
    assertThat(now.server().getAllServeEvents()).isEmpty();
  }

  @Test
  void reviewCompletePatchesTheColumnsAndSysModCountMovesByOne() {
    WriteResult result =
        ledger.setReviewState(sysId, ReviewState.reviewComplete(3, CLOSED), 0, KEY);

    assertThat(result).isEqualTo(WriteResult.APPLIED);
    BookkeepingRecord after = find();
    assertThat(after.reviewState()).isEqualTo(ReviewState.reviewComplete(3, CLOSED));
    assertThat(after.revision()).isEqualTo(1);
    assertThat(now.row(sysId)).containsEntry("u_review_status", "review_complete");
    now.server()
        .verify(
            patchRequestedFor(urlPathEqualTo(TABLE_PATH + "/" + sysId))
                .withQueryParam("sysparm_input_display_value", equalTo("false"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(
                    equalToJson(
                        "{\"u_review_status\":\"review_complete\",\"u_disposition_version\":\"3\","
                            + "\"u_closed_at\":\"2026-11-20 10:14:58\"}")));
  }

  @Test
  void aRecordAlreadyInTheStateIsNotPatchedAgain() {
    ledger.setReviewState(sysId, ReviewState.reviewComplete(3, CLOSED), 0, KEY);
    now.server().resetRequests();

    assertThat(ledger.setReviewState(sysId, ReviewState.reviewComplete(3, CLOSED), 1, KEY))
        .isEqualTo(WriteResult.REPLAYED);
    now.server().verify(0, patchRequestedFor(urlPathEqualTo(TABLE_PATH + "/" + sysId)));
  }

  @Test
  void aRecordUpdatedSinceItWasReadIsRefusedBeforeThePatch() {
    now.foreignUpdate(sysId);

    assertThat(ledger.setReviewState(sysId, ReviewState.reviewComplete(3, CLOSED), 0, KEY))
        .isEqualTo(WriteResult.REVISION_CONFLICT);
    now.server().verify(0, patchRequestedFor(urlPathEqualTo(TABLE_PATH + "/" + sysId)));
    assertThat(now.row(sysId)).containsEntry("u_review_status", "open");
  }

  @Test
  void anUpdateByAnotherWriterBesideThePatchIsReportedAsAConflict() {
    // Between our re-read and our PATCH someone else updated the row: the count moves by two.
    now.afterNextPatch(() -> now.foreignUpdate(sysId));

    assertThat(ledger.setReviewState(sysId, ReviewState.reviewComplete(3, CLOSED), 0, KEY))
        .isEqualTo(WriteResult.REVISION_CONFLICT);
  }

  @Test
  void revertPutsThePriorStatusBackAndEmptiesTheColumns() {
    ledger.setReviewState(sysId, ReviewState.reviewComplete(3, CLOSED), 0, KEY);

    assertThat(ledger.setReviewState(sysId, new ReviewState("open", null, null), 1, KEY))
        .isEqualTo(WriteResult.APPLIED);
    assertThat(find().reviewState()).isEqualTo(new ReviewState("open", null, null));
    assertThat(now.row(sysId))
        .containsEntry("u_disposition_version", "")
        .containsEntry("u_closed_at", "");
  }

  @Test
  void archiveReferencesAreKeptAsAJsonArrayAndALinkIsNeverAddedTwice() {
    assertThat(ledger.linkArchiveRef(sysId, PACKET, 0, KEY)).isEqualTo(WriteResult.APPLIED);
    assertThat(ledger.linkArchiveRef(sysId, NOTE, 1, KEY)).isEqualTo(WriteResult.APPLIED);
    assertThat(ledger.linkArchiveRef(sysId, PACKET, 2, KEY)).isEqualTo(WriteResult.REPLAYED);

    assertThat(find().archiveRefs()).containsExactly(PACKET, NOTE);
    assertThat(find().revision()).isEqualTo(2);
    assertThat(now.row(sysId).get("u_archive_refs"))
        .isEqualTo(
            "[{\"kind\":\"CLOSURE_PACKET\",\"uri\":\"archive://closure-packets/ESC-1/v1.pdf\","
                + "\"sha256\":\""
                + "c".repeat(64)
                + "\"},{\"kind\":\"REVIEW_NOTE\",\"uri\":\"archive://review-notes/ESC-1/v1.md\","
                + "\"sha256\":\""
                + "d".repeat(64)
                + "\"}]");
  }

  @Test
  void unlinkRemovesOnlyThatReferenceAndAnAbsentOneCountsAsDone() {
    ledger.linkArchiveRef(sysId, PACKET, 0, KEY);
    ledger.linkArchiveRef(sysId, NOTE, 1, KEY);

    assertThat(ledger.unlinkArchiveRef(sysId, PACKET.uri(), 2, KEY)).isEqualTo(WriteResult.APPLIED);
    assertThat(ledger.unlinkArchiveRef(sysId, PACKET.uri(), 3, KEY))
        .isEqualTo(WriteResult.REPLAYED);
    assertThat(find().archiveRefs()).containsExactly(NOTE);
  }

  @Test
  void aLinkOnAStaleRevisionIsRefused() {
    now.foreignUpdate(sysId);

    assertThat(ledger.linkArchiveRef(sysId, PACKET, 0, KEY))
        .isEqualTo(WriteResult.REVISION_CONFLICT);
    assertThat(ledger.unlinkArchiveRef(sysId, PACKET.uri(), 0, KEY))
        .isEqualTo(WriteResult.REVISION_CONFLICT);
    assertThat(find().archiveRefs()).isEmpty();
  }

  @Test
  void aMissingRecordIsNotFoundForEveryWrite() {
    String gone = "f".repeat(32);
    assertThat(ledger.setReviewState(gone, ReviewState.reviewComplete(3, CLOSED), 0, KEY))
        .isEqualTo(WriteResult.NOT_FOUND);
    assertThat(ledger.linkArchiveRef(gone, PACKET, 0, KEY)).isEqualTo(WriteResult.NOT_FOUND);
    assertThat(ledger.unlinkArchiveRef(gone, PACKET.uri(), 0, KEY))
        .isEqualTo(WriteResult.NOT_FOUND);
  }

  @Test
  void aRecordDeletedBetweenTheReadAndThePatchIsNotFound() {
    now.server()
        .stubFor(
            patch(urlPathEqualTo(TABLE_PATH + "/" + sysId))
                .atPriority(1)
                .willReturn(
                    FakeServiceNow.error(
                        404,
                        "No Record found",
                        "Record doesn't exist or ACL restricts the record retrieval")));

    assertThat(ledger.setReviewState(sysId, ReviewState.reviewComplete(3, CLOSED), 0, KEY))
        .isEqualTo(WriteResult.NOT_FOUND);
  }

  @Test
  void isoClosedAtKeepsFractionsOfASecondInAStringColumn() {
    ledger =
        new ServiceNowCaseLedger(
            client,
            new ServiceNowSettings(
                FakeServiceNow.TABLE,
                null,
                null,
                null,
                null,
                null,
                null,
                ClosedAtFormat.ISO_8601,
                null));
    Instant precise = Instant.parse("2026-11-20T10:14:58.123Z");

    assertThat(ledger.setReviewState(sysId, ReviewState.reviewComplete(3, precise), 0, KEY))
        .isEqualTo(WriteResult.APPLIED);
    assertThat(find().closedAt()).isEqualTo(precise);
  }

  @Test
  void throttlingIsUnavailableWithTheRetryAfterServiceNowSent() {
    now.failNext(
        FakeServiceNow.error(429, "Rate limit exceeded", "Too many requests")
            .withHeader("Retry-After", "12")
            .build());

    assertThatThrownBy(this::find)
        .isInstanceOfSatisfying(
            TargetUnavailableException.class,
            e -> {
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(12));
              assertThat(e.getMessage()).contains("429");
            });
  }

  @Test
  void serviceUnavailableOnThePatchIsUnavailableWithItsRetryAfter() {
    now.server()
        .stubFor(
            patch(urlPathEqualTo(TABLE_PATH + "/" + sysId))
                .atPriority(1)
                .willReturn(
                    FakeServiceNow.error(503, "Service Unavailable", "Instance is hibernating")
                        .withHeader("Retry-After", "60")));

    assertThatThrownBy(
            () -> ledger.setReviewState(sysId, ReviewState.reviewComplete(3, CLOSED), 0, KEY))
        .isInstanceOfSatisfying(
            TargetUnavailableException.class,
            e -> {
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(60));
              assertThat(e.outcomeUnknown()).isFalse();
              assertThat(e.getMessage()).doesNotContain("hibernating");
            });
  }

  @Test
  void aServerErrorOnThePatchLeavesTheOutcomeUnknown() {
    now.server()
        .stubFor(
            patch(urlPathEqualTo(TABLE_PATH + "/" + sysId))
                .atPriority(1)
                .willReturn(aResponse().withStatus(500)));

    assertThatThrownBy(
            () -> ledger.setReviewState(sysId, ReviewState.reviewComplete(3, CLOSED), 0, KEY))
        .isInstanceOfSatisfying(
            TargetUnavailableException.class, e -> assertThat(e.outcomeUnknown()).isTrue());
  }

  @Test
  void refusedCredentialsSayHttp401AndNeverThePassword() {
    ledger =
        new ServiceNowCaseLedger(
            client("wrong-password"), ServiceNowSettings.forTable(FakeServiceNow.TABLE));

    assertThatThrownBy(this::find)
        .isInstanceOf(TargetUnavailableException.class)
        .hasMessageContaining("HTTP 401 (credentials refused)")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong-password"));
  }

  @Test
  void bearerAuthenticationSendsTheOAuthToken() {
    ContractClient bearer =
        new ContractClient(
            new RestEndpoint(
                TargetSystem.LEDGER,
                now.baseUrl(),
                new Authentication.Bearer(Secret.of(FakeServiceNow.OAUTH_TOKEN, "test")),
                null,
                null),
            Clock.systemUTC());
    assertThat(
            new ServiceNowCaseLedger(bearer, ServiceNowSettings.forTable(FakeServiceNow.TABLE))
                .findByEscalation(new EscalationId("ESC-1")))
        .isPresent();

    now.server()
        .verify(
            getRequestedFor(urlPathEqualTo(TABLE_PATH))
                .withHeader("Authorization", equalTo("Bearer " + FakeServiceNow.OAUTH_TOKEN)));
  }

  @Test
  void checkConfigReportsReachableAuthAndContractFromOneLimitedRead() {
    TargetCheck ok =
        ServiceNowProbe.check(client, ServiceNowSettings.forTable(FakeServiceNow.TABLE));
    TargetCheck missingColumn =
        ServiceNowProbe.check(
            client,
            new ServiceNowSettings(
                FakeServiceNow.TABLE, null, "u_episode", null, null, null, null, null, null));
    TargetCheck badTable = ServiceNowProbe.check(client, ServiceNowSettings.forTable("u_nope"));
    TargetCheck badAuth =
        ServiceNowProbe.check(client("wrong"), ServiceNowSettings.forTable(FakeServiceNow.TABLE));

    assertThat(ok.passed()).as(ok.detail()).isTrue();
    assertThat(missingColumn.contractOk()).isFalse();
    assertThat(missingColumn.detail()).contains("has no column u_episode");
    assertThat(badTable.authOk()).isTrue();
    assertThat(badTable.contractOk()).isFalse();
    assertThat(badAuth.authOk()).isFalse();
    now.server()
        .verify(
            getRequestedFor(urlPathEqualTo(TABLE_PATH))
                .withQueryParam("sysparm_limit", equalTo("1")));
    assertThat(now.server().getAllServeEvents())
        .allSatisfy(e -> assertThat(e.getRequest().getMethod().getName()).isEqualTo("GET"));
  }
}
