package com.closeout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.when;

import com.closeout.audit.AuditTrail;
import com.closeout.domain.FollowUpReason;
import com.closeout.domain.TargetSystem;
import com.closeout.followup.FollowUp;
import com.closeout.followup.FollowUpStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsTests {

  private final FakeCommandContext context = new FakeCommandContext();
  private final CloseoutCli cli = CloseoutCli.standard();
  private final FakeCloseoutServer server = FakeCloseoutServer.start();
  private static final Instant CREATED = Instant.parse("2026-11-20T10:15:07.123Z");

  @AfterEach
  void stopServer() {
    server.close();
  }

  private int run(String... args) {
    return cli.run(args, context);
  }

  private static FollowUp followUp(long id, FollowUpStatus status) {
    return new FollowUp(
        id,
        3L,
        "ESC-7",
        "evt-7",
        FollowUpReason.MAPPING_MISSING,
        TargetSystem.LEDGER,
        2,
        2,
        null,
        status,
        1L,
        CREATED,
        null,
        null);
  }

  @Test
  void auditVerifyReportsAnIntactChainWithItsLength() {
    when(context.stores.audit().verify()).thenReturn(Optional.empty());
    when(context.stores.audit().count()).thenReturn(42L);
    assertThat(run("audit", "verify")).isZero();
    assertThat(context.printed()).isEqualTo("audit chain intact: 42 entries\n");
  }

  @Test
  void auditVerifyChainsWhatIsPendingFirstAndSaysHowMuch() {
    when(context.stores.audit().chainAllPending()).thenReturn(5L);
    when(context.stores.audit().verify()).thenReturn(Optional.empty());
    when(context.stores.audit().count()).thenReturn(47L);
    assertThat(run("audit", "verify")).isZero();
    assertThat(context.printed())
        .isEqualTo("chained 5 pending audit entries\naudit chain intact: 47 entries\n");
    org.mockito.InOrder order = org.mockito.Mockito.inOrder(context.stores.audit());
    order.verify(context.stores.audit()).chainAllPending();
    order.verify(context.stores.audit()).verify();
  }

  @Test
  void auditVerifyNamesTheFirstBrokenEntryAndExitsOne() {
    when(context.stores.audit().verify())
        .thenReturn(Optional.of(new AuditTrail.ChainBreak(17, "hash does not match")));
    assertThat(run("audit", "verify")).isEqualTo(1);
    assertThat(context.printed()).contains("entry 17").contains("hash does not match");
  }

  @Test
  void auditWithoutVerifyIsAUsageError() {
    assertThat(run("audit")).isEqualTo(2);
    assertThat(run("audit", "check")).isEqualTo(2);
  }

  @Test
  void followUpsListsATableOfOpenOnesWhenAsked() {
    when(context.stores.followUps().all(true))
        .thenReturn(List.of(followUp(5, FollowUpStatus.OPEN)));
    assertThat(run("follow-ups", "--open")).isZero();
    String[] lines = context.printed().split("\n");
    assertThat(lines[0])
        .contains("ID")
        .contains("ESCALATION")
        .contains("REASON")
        .contains("SYSTEM")
        .contains("VERSIONS")
        .contains("STATUS")
        .contains("CREATED");
    assertThat(lines[1])
        .contains("5")
        .contains("ESC-7")
        .contains("MAPPING_MISSING")
        .contains("ledger")
        .contains("v2/v2")
        .contains("OPEN")
        .contains("2026-11-20 10:15:07Z");
  }

  @Test
  void followUpsSaysSoWhenThereAreNone() {
    when(context.stores.followUps().all(false)).thenReturn(List.of());
    assertThat(run("follow-ups")).isZero();
    assertThat(context.printed()).isEqualTo("no follow-ups\n");
  }

  private static final String FOLLOW_UP_JSON =
      """
      {"id":5,"closureId":3,"escalationId":"ESC-7","eventId":"evt-7","reason":"MAPPING_MISSING",
       "system":"ledger","eventVersion":2,"recordVersion":2,"status":"%s",
       "createdAt":"2026-11-20T10:15:07Z"}
      """;

  private static String resolved(String followUpStatus, String closureStatus) {
    return "{\"outcome\":\"RESOLVED\",\"followUp\":"
        + FOLLOW_UP_JSON.formatted(followUpStatus)
        + ",\"closureStatus\":\""
        + closureStatus
        + "\"}";
  }

  private static String closures(String status, String followUps) {
    return """
        [{"id":3,"escalationId":"ESC-7","dispositionVersion":2,"eventId":"evt-7","status":"%s",
          "attempts":0,"steps":[],"followUps":[%s]}]
        """
        .formatted(status, followUps);
  }

  @Test
  void resolvingWithoutACommentIsAUsageErrorAndSendsNothing() {
    assertThat(run("follow-ups", "resolve", "5", "--dismiss", "--server", server.url()))
        .isEqualTo(2);
    assertThat(
            run(
                "follow-ups",
                "resolve",
                "5",
                "--dismiss",
                "--comment",
                "  ",
                "--server",
                server.url()))
        .isEqualTo(2);
    assertThat(context.errors()).contains("--comment TEXT is required");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void resolvingNeedsExactlyOneOfRetryAndDismiss() {
    String url = server.url();
    assertThat(run("follow-ups", "resolve", "5", "--comment", "x", "--server", url)).isEqualTo(2);
    assertThat(
            run(
                "follow-ups",
                "resolve",
                "5",
                "--retry",
                "--dismiss",
                "--comment",
                "x",
                "--server",
                url))
        .isEqualTo(2);
    assertThat(run("follow-ups", "resolve", "five", "--retry", "--comment", "x", "--server", url))
        .isEqualTo(2);
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void dismissingPostsTheCommentToTheRunningCloseoutWithoutStartingOne() {
    server.answer(
        "POST", "/api/v1/follow-ups/5/resolution", 200, resolved("DISMISSED", "DISMISSED"));
    assertThat(
            run(
                "follow-ups",
                "resolve",
                "5",
                "--dismiss",
                "--comment",
                "customer withdrew",
                "--server",
                server.url()))
        .isZero();
    assertThat(context.printed())
        .isEqualTo("follow-up 5 (MAPPING_MISSING, ESC-7) DISMISSED; closure DISMISSED\n");
    FakeCloseoutServer.Request request = server.requests().get(0);
    assertThat(request.contentType()).startsWith("application/json");
    assertThat(request.body())
        .isEqualTo("{\"action\":\"DISMISS\",\"comment\":\"customer withdrew\"}");
    assertThat(server.requests()).hasSize(1);
    assertThat(context.oneShotStarts + context.serveStarts).isZero();
  }

  @Test
  void retryingWaitsForTheServingWorkerAndShowsWhatItFound() {
    server
        .answer("POST", "/api/v1/follow-ups/5/resolution", 200, resolved("RETRIED", "PENDING"))
        .answer("GET", "/api/v1/closures/ESC-7", 200, closures("PENDING", ""))
        .answer(
            "GET",
            "/api/v1/closures/ESC-7",
            200,
            closures(
                "FOLLOW_UP",
                """
                {"id":5,"reason":"MAPPING_MISSING","system":"ledger","status":"RETRIED"},
                {"id":6,"reason":"EPISODE_MISMATCH","system":"queue","status":"OPEN"}
                """));
    assertThat(
            run(
                "follow-ups",
                "resolve",
                "5",
                "--retry",
                "--comment=mapping added",
                "--server",
                server.url()))
        .isZero();
    assertThat(context.printed())
        .contains("follow-up 5 (MAPPING_MISSING, ESC-7) RETRIED; closure PENDING")
        .contains("after re-verification: closure FOLLOW_UP")
        .contains("follow-up 6 raised: EPISODE_MISMATCH")
        .doesNotContain("follow-up 5 raised");
    assertThat(server.requests("GET", "/api/v1/closures/ESC-7")).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void refusedResolutionExitsOne() {
    server.answer(
        "POST",
        "/api/v1/follow-ups/9/resolution",
        409,
        "{\"status\":409,\"outcome\":\"REFUSED\",\"why\":\"follow-up 9 is already DISMISSED\"}");
    assertThat(
            run(
                "follow-ups",
                "resolve",
                "9",
                "--retry",
                "--comment",
                "x",
                "--server",
                server.url()))
        .isEqualTo(1);
    assertThat(context.printed())
        .isEqualTo("follow-up 9 not resolved: follow-up 9 is already DISMISSED\n");
  }

  @Test
  void revertAsksTheRunningCloseoutAndReportsTheUndoneSteps() {
    server.answer(
        "POST",
        "/api/v1/closures/ESC-1/versions/3/revert",
        200,
        """
        {"outcome":"REVERTED","escalationId":"ESC-1","dispositionVersion":3,
         "undone":["QUEUE_CLOSE","TRACKER_SYNC"]}
        """);
    assertThat(run("revert", "ESC-1", "--version", "3", "--server", server.url())).isZero();
    assertThat(context.printed()).isEqualTo("reverted ESC-1@v3: undid QUEUE_CLOSE, TRACKER_SYNC\n");
    assertThat(context.oneShotStarts + context.serveStarts).isZero();
  }

  @Test
  void revertTakesTheServerFromTheEnvironmentWhenNotGiven() {
    server.answer(
        "POST",
        "/api/v1/closures/ESC%201/versions/2/revert",
        200,
        "{\"outcome\":\"REVERTED\",\"undone\":[]}");
    context.environment.put("CLOSEOUT_SERVER", server.url() + "/");
    assertThat(run("revert", "ESC 1", "--version", "2")).isZero();
    assertThat(context.printed()).isEqualTo("reverted ESC 1@v2: undid nothing\n");
  }

  @Test
  void revertThatHitsAConflictExitsOneNamingTheFollowUp() {
    server.answer(
        "POST",
        "/api/v1/closures/ESC-1/versions/3/revert",
        409,
        """
        {"status":409,"outcome":"CONFLICT","step":"LEDGER_SYNC","system":"ledger","followUpId":12}
        """);
    assertThat(run("revert", "ESC-1", "--version", "3", "--server", server.url())).isEqualTo(1);
    assertThat(context.printed())
        .contains("stopped at LEDGER_SYNC")
        .contains("ledger no longer holds")
        .contains("follow-up 12");
  }

  @Test
  void revertStoppedByAnUnavailableTargetExitsOneAndSaysToRunItAgain() {
    server.answer(
        "POST",
        "/api/v1/closures/ESC-1/versions/3/revert",
        503,
        "{\"status\":503,\"outcome\":\"UNAVAILABLE\",\"step\":\"QUEUE_CLOSE\",\"system\":\"queue\"}");
    assertThat(run("revert", "ESC-1", "--version", "3", "--server", server.url())).isEqualTo(1);
    assertThat(context.printed()).contains("queue did not answer; run the revert again later");
  }

  @Test
  void refusedRevertExitsOne() {
    server.answer(
        "POST",
        "/api/v1/closures/ESC-2/versions/1/revert",
        409,
        "{\"status\":409,\"outcome\":\"REFUSED\",\"why\":\"no closure for ESC-2@v1\"}");
    assertThat(run("revert", "ESC-2", "--version=1", "--server", server.url())).isEqualTo(1);
    assertThat(context.printed()).isEqualTo("revert refused: no closure for ESC-2@v1\n");
  }

  @Test
  void revertAnsweredWithSomethingElseExitsOneWithTheStatusAndDetail() {
    server.answer(
        "POST",
        "/api/v1/closures/ESC-2/versions/1/revert",
        500,
        "{\"status\":500,\"detail\":\"store is down\"}");
    assertThat(run("revert", "ESC-2", "--version=1", "--server", server.url())).isEqualTo(1);
    assertThat(context.errors()).contains("answered HTTP 500: store is down");
  }

  @Test
  void revertNeedsAPositiveVersion() {
    String url = server.url();
    assertThat(run("revert", "ESC-1", "--server", url)).isEqualTo(2);
    assertThat(run("revert", "ESC-1", "--version", "0", "--server", url)).isEqualTo(2);
    assertThat(run("revert", "--version", "2", "--server", url)).isEqualTo(2);
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void reconcileReportsACleanPassAndExitsZero() {
    server.answer(
        "POST",
        "/api/v1/reconciliation",
        200,
        """
        {"since":"2026-11-13T10:00:00Z","checkedAt":"2026-11-20T10:00:00Z","recordsChecked":3,
         "drift":[],"unreachable":[],"clean":true}
        """);
    assertThat(run("reconcile", "--server", server.url())).isZero();
    assertThat(context.printed())
        .isEqualTo(
            "checked 3 finalized records since 2026-11-13T10:00:00Z: 0 drifted, 0 unreachable\n");
    assertThat(server.requests().get(0).query()).isNull();
    assertThat(context.oneShotStarts + context.serveStarts).isZero();
  }

  @Test
  void reconcileListsDriftPassesSinceAndExitsOne() {
    String report =
        """
        {"since":"2026-11-01T00:00:00Z","checkedAt":"2026-11-20T10:00:00Z","recordsChecked":4,
         "drift":[{"escalationId":"ESC-9","dispositionVersion":2,"kind":"LOST_EVENT",
                   "openDownstream":["TRACKER","QUEUE"],"closureStatus":"NONE"}],
         "unreachable":["ESC-10"],"clean":false}
        """;
    server.answer("POST", "/api/v1/reconciliation", 200, report);
    assertThat(run("reconcile", "--since", "2026-11-01T00:00:00Z", "--server", server.url()))
        .isEqualTo(1);
    assertThat(server.requests().get(0).query()).isEqualTo("since=2026-11-01T00%3A00%3A00Z");
    assertThat(context.printed())
        .contains("1 drifted, 1 unreachable")
        .contains("ESC-9")
        .contains("LOST_EVENT")
        .contains("[TRACKER, QUEUE]")
        .contains("could not check: ESC-10");
  }

  @Test
  void reconcileJsonPrintsTheServersReportAsOneLine() {
    server.answer(
        "POST",
        "/api/v1/reconciliation",
        200,
        "{\"recordsChecked\":0,\"drift\":[],\"unreachable\":[],\"clean\":true}");
    assertThat(run("reconcile", "--json", "--server", server.url())).isZero();
    assertThat(context.printed())
        .isEqualTo("{\"recordsChecked\":0,\"drift\":[],\"unreachable\":[],\"clean\":true}\n");
  }

  @Test
  void reconcileWithAMalformedSinceIsAUsageErrorAndSendsNothing() {
    assertThat(run("reconcile", "--since", "yesterday", "--server", server.url())).isEqualTo(2);
    assertThat(context.errors()).contains("--since takes an ISO instant");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void demoOptionsHaveDefaultsAndParse() throws UsageException {
    assertThat(DemoCommand.parse(List.of())).isEqualTo(new DemoOptions(200, 1L, false, false));
    assertThat(DemoCommand.parse(List.of("--cases", "50", "--seed=-9", "--json", "--exit")))
        .isEqualTo(new DemoOptions(50, -9L, true, true));
  }

  @Test
  void demoWithExitRunsTheCampaignOnceAndReturnsItsStatus() {
    AtomicReference<DemoOptions> seen = new AtomicReference<>();
    context.beans.put(
        DemoLauncher.class,
        (DemoLauncher)
            (options, out, err) -> {
              seen.set(options);
              out.println("{\"cases\":5}");
              return 0;
            });
    assertThat(run("demo", "--cases", "5", "--json", "--exit")).isZero();
    assertThat(seen.get()).isEqualTo(new DemoOptions(5, 1L, true, true));
    assertThat(context.printed()).isEqualTo("{\"cases\":5}\n");
    assertThat(context.serveStarts).isZero();
    assertThat(context.shutdownWaits).isZero();
  }

  @Test
  void demoWithoutExitStartsTheWorkerOnlyAfterTheCampaignAndServesOn() {
    context.beans.put(DemoLauncher.class, (DemoLauncher) (options, out, err) -> 0);
    assertThat(run("demo")).isZero();
    assertThat(context.serveStarts).isEqualTo(1);
    assertThat(context.servedWithWorkerNow).isFalse();
    assertThat(context.workerStarts).isEqualTo(1);
    assertThat(context.shutdownWaits).isEqualTo(1);
  }

  @Test
  void demoWithoutACampaignInTheBuildFails() {
    assertThat(run("demo", "--exit")).isEqualTo(1);
    assertThat(context.errors()).contains("no demo campaign");
  }

  @Test
  void scenarioHandsEveryFileAndTheJsonFlagToTheRunner(@TempDir Path dir) throws Exception {
    Path a = java.nio.file.Files.writeString(dir.resolve("a.json"), "{}");
    Path b = java.nio.file.Files.writeString(dir.resolve("b.json"), "{}");
    AtomicReference<List<Path>> files = new AtomicReference<>();
    context.beans.put(
        ScenarioLauncher.class,
        (ScenarioLauncher)
            (given, json, out, err) -> {
              files.set(given);
              return json ? 1 : 0;
            });
    assertThat(run("scenario", a.toString(), b.toString(), "--json")).isEqualTo(1);
    assertThat(files.get()).containsExactly(a, b);
  }

  @Test
  void scenarioWithoutFilesOrWithAMissingFileExitsTwo(@TempDir Path dir) {
    assertThat(run("scenario")).isEqualTo(2);
    assertThat(run("scenario", dir.resolve("nope.json").toString())).isEqualTo(2);
    assertThat(context.errors()).contains("no such file");
  }
}
