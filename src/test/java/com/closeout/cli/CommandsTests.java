package com.closeout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.closeout.audit.AuditTrail;
import com.closeout.domain.ClosureKey;
import com.closeout.domain.ClosureStatus;
import com.closeout.domain.EscalationId;
import com.closeout.domain.FollowUpReason;
import com.closeout.domain.Step;
import com.closeout.domain.TargetSystem;
import com.closeout.followup.FollowUp;
import com.closeout.followup.FollowUpStatus;
import com.closeout.followup.Resolution;
import com.closeout.followup.ResolutionOutcome;
import com.closeout.propagation.RevertOutcome;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsTests {

  private final FakeCommandContext context = new FakeCommandContext();
  private final CloseoutCli cli = CloseoutCli.standard();
  private static final Instant CREATED = Instant.parse("2026-11-20T10:15:07.123Z");

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

  @Test
  void resolvingWithoutACommentIsAUsageErrorAndChangesNothing() {
    assertThat(run("follow-ups", "resolve", "5", "--dismiss")).isEqualTo(2);
    assertThat(run("follow-ups", "resolve", "5", "--dismiss", "--comment", "  ")).isEqualTo(2);
    assertThat(context.errors()).contains("--comment TEXT is required");
    verify(context.engine, never()).resolveFollowUp(anyLong(), any(), anyString());
  }

  @Test
  void resolvingNeedsExactlyOneOfRetryAndDismiss() {
    assertThat(run("follow-ups", "resolve", "5", "--comment", "x")).isEqualTo(2);
    assertThat(run("follow-ups", "resolve", "5", "--retry", "--dismiss", "--comment", "x"))
        .isEqualTo(2);
    assertThat(run("follow-ups", "resolve", "five", "--retry", "--comment", "x")).isEqualTo(2);
    verify(context.engine, never()).resolveFollowUp(anyLong(), any(), anyString());
  }

  @Test
  void dismissingPassesTheCommentToTheEngine() {
    when(context.engine.resolveFollowUp(5, Resolution.DISMISS, "customer withdrew"))
        .thenReturn(
            new ResolutionOutcome.Resolved(
                followUp(5, FollowUpStatus.DISMISSED), ClosureStatus.DISMISSED));
    assertThat(run("follow-ups", "resolve", "5", "--dismiss", "--comment", "customer withdrew"))
        .isZero();
    assertThat(context.printed()).contains("follow-up 5").contains("DISMISSED");
    verify(context.engine, never()).runDue();
  }

  @Test
  void retryingReVerifiesAtOnceAndShowsTheClosureAfterwards() {
    when(context.engine.resolveFollowUp(5, Resolution.RETRY, "mapping added"))
        .thenReturn(
            new ResolutionOutcome.Resolved(
                followUp(5, FollowUpStatus.RETRIED), ClosureStatus.PENDING));
    when(context.engine.nextDueAt()).thenReturn(Optional.empty());
    when(context.stores.closures().find(3L)).thenReturn(Optional.empty());
    assertThat(run("follow-ups", "resolve", "5", "--retry", "--comment=mapping added")).isZero();
    verify(context.engine).runDue();
  }

  @Test
  void refusedResolutionExitsOne() {
    when(context.engine.resolveFollowUp(9, Resolution.RETRY, "x"))
        .thenReturn(new ResolutionOutcome.Refused("follow-up 9 is not open"));
    assertThat(run("follow-ups", "resolve", "9", "--retry", "--comment", "x")).isEqualTo(1);
    assertThat(context.printed()).contains("not open");
  }

  @Test
  void revertReportsTheUndoneStepsAndExitsZero() {
    ClosureKey key = new ClosureKey(new EscalationId("ESC-1"), 3);
    when(context.engine.revert(new EscalationId("ESC-1"), 3))
        .thenReturn(new RevertOutcome.Reverted(key, List.of(Step.QUEUE_CLOSE, Step.TRACKER_SYNC)));
    assertThat(run("revert", "ESC-1", "--version", "3")).isZero();
    assertThat(context.printed())
        .contains("reverted ESC-1@v3")
        .contains("QUEUE_CLOSE, TRACKER_SYNC");
  }

  @Test
  void revertThatHitsAConflictExitsOneNamingTheFollowUp() {
    ClosureKey key = new ClosureKey(new EscalationId("ESC-1"), 3);
    when(context.engine.revert(new EscalationId("ESC-1"), 3))
        .thenReturn(new RevertOutcome.Conflict(key, Step.LEDGER_SYNC, TargetSystem.LEDGER, 12));
    assertThat(run("revert", "ESC-1", "--version", "3")).isEqualTo(1);
    assertThat(context.printed()).contains("ledger").contains("follow-up 12");
  }

  @Test
  void refusedRevertExitsOne() {
    when(context.engine.revert(new EscalationId("ESC-2"), 1))
        .thenReturn(new RevertOutcome.Refused("no closure ESC-2@v1"));
    assertThat(run("revert", "ESC-2", "--version=1")).isEqualTo(1);
    assertThat(context.printed()).contains("revert refused: no closure ESC-2@v1");
  }

  @Test
  void revertNeedsAPositiveVersion() {
    assertThat(run("revert", "ESC-1")).isEqualTo(2);
    assertThat(run("revert", "ESC-1", "--version", "0")).isEqualTo(2);
    assertThat(run("revert", "--version", "2")).isEqualTo(2);
    verify(context.engine, never()).revert(any(), anyInt());
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
