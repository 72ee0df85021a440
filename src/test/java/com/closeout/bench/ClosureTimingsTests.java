package com.closeout.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.closeout.domain.ClosureKey;
import com.closeout.domain.Step;
import com.closeout.propagation.StepCommitListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClosureTimingsTests {
  /** Every leg, in order from event to notice. */
  static final List<String> LEGS =
      List.of(
          "to the sender",
          "intake",
          "to the syncs' commit",
          "to the completion record's commit",
          "to the notice");

  private final BenchCases cases = new BenchCases("T", Instant.parse("2026-11-20T10:00:00Z"));

  @Test
  void casesNoticedWithinTheWarmupTimeAreLeftOutOfTheFigures() throws Exception {
    ClosureTimings timings = run();

    ClosureTimings.Figures figures = timings.figures(0, Duration.ofSeconds(1));

    assertThat(figures.closures()).isEqualTo(10);
    assertThat(figures.measured()).isEqualTo(6);
    assertThat(figures.warmupCut()).isFalse();
    assertThat(figures.p99Millis()).isLessThan(1_000);
  }

  @Test
  void aSlowCaseInFlightWhileAStallLastedIsCountedAgainstItAndLeftOutOfTheOthersP99()
      throws Exception {
    ClosureTimings timings = new ClosureTimings(cases, 0, 3, 0);
    long now = System.nanoTime();
    long ms = 1_000_000L;
    timings.sendingScheduled(0, now - 100 * ms);
    timings.sendingScheduled(1, now - 80 * ms);
    timings.sendingScheduled(2, now - ms);
    for (int i = 0; i < 3; i++) {
      timings.noticed(cases.escalation(i));
    }
    // Over before case 1 was due: only case 0 was in flight.
    List<MachineStallProbe.Stall> stalls =
        List.of(new MachineStallProbe.Stall(now - 90 * ms, now - 85 * ms, false));

    ClosureTimings.StallShare share = timings.duringStalls(stalls, 0, Duration.ZERO, 50);

    assertThat(share.measured()).isEqualTo(3);
    assertThat(share.slow()).isEqualTo(2);
    assertThat(share.slowInStalls()).isEqualTo(1);
    assertThat(share.outside()).isEqualTo(2);
    assertThat(share.p99OutsideMillis()).isBetween(80.0, 80.0 + 60_000);
    assertThat(share.p99OutsideMillis()).isLessThan(timings.figures(0, Duration.ZERO).p99Millis());
  }

  @Test
  void aRunShorterThanTwiceItsWarmupKeepsHalfItsCasesAndSaysSo() throws Exception {
    ClosureTimings timings = run();

    ClosureTimings.Figures figures = timings.figures(0, Duration.ofSeconds(60));

    assertThat(figures.measured()).isEqualTo(5);
    assertThat(figures.warmupCut()).isTrue();
  }

  @Test
  void aCountOfWarmupCasesStillAppliesWhenTheWarmupTimeLeavesOutFewer() throws Exception {
    ClosureTimings timings = run();

    ClosureTimings.Figures figures = timings.figures(7, Duration.ZERO);

    assertThat(figures.measured()).isEqualTo(3);
    assertThat(figures.warmupCut()).isFalse();
  }

  @Test
  void eachLegIsMeasuredBetweenItsMarksOverTheCasesThatPassedThemAll() throws Exception {
    ClosureTimings timings = new ClosureTimings(cases, 0, 3, 0);
    StepCommitListener commits = timings.stepCommits();
    for (int i = 0; i < 3; i++) {
      timings.sending(i);
      timings.accepted(i);
    }
    Thread.sleep(30);
    for (int i = 0; i < 3; i++) {
      commits.stepCommitted(new ClosureKey(cases.escalation(i), 1), Step.TRACKER_SYNC);
      commits.stepCommitted(new ClosureKey(cases.escalation(i), 1), Step.LEDGER_SYNC);
    }
    // Case 2 stops after its syncs (a follow-up): it has no completion record and no notice leg.
    for (int i = 0; i < 2; i++) {
      commits.stepCommitted(new ClosureKey(cases.escalation(i), 1), Step.COMPLETION_RECORD);
    }
    Thread.sleep(20);
    for (int i = 0; i < 3; i++) {
      timings.noticed(cases.escalation(i));
    }

    List<ClosureTimings.Leg> legs = timings.figures(0, Duration.ZERO).legs();

    assertThat(legs).extracting(ClosureTimings.Leg::name).containsExactlyElementsOf(LEGS);
    assertThat(legs).allSatisfy(leg -> assertThat(leg.cases()).isEqualTo(2));
    assertThat(legs.get(0).p99Millis()).as("sent as soon as due").isLessThan(5);
    assertThat(legs.get(2).p50Millis()).isGreaterThanOrEqualTo(30);
    assertThat(legs.get(4).p50Millis()).isGreaterThanOrEqualTo(20);
    assertThat(legs.get(1).p99Millis()).isLessThan(legs.get(2).p50Millis());
  }

  @Test
  void theTraceHasOneLineACaseWithItsSendingTimeAndEveryMarkItPassed(@TempDir Path dir)
      throws Exception {
    ClosureTimings timings = new ClosureTimings(cases, 5, 2, 0);
    StepCommitListener commits = timings.stepCommits();
    long before = System.currentTimeMillis();
    for (int i = 5; i < 7; i++) {
      timings.sending(i);
      timings.accepted(i);
      commits.stepCommitted(new ClosureKey(cases.escalation(i), 1), Step.LEDGER_SYNC);
    }
    // Case 6 stops after its syncs: no completion record, no notice.
    commits.stepCommitted(new ClosureKey(cases.escalation(5), 1), Step.COMPLETION_RECORD);
    Thread.sleep(20);
    timings.noticed(cases.escalation(5));
    Path trace = dir.resolve("trace.csv");

    timings.writeTrace(trace);

    List<String> lines = Files.readAllLines(trace);
    assertThat(lines)
        .first()
        .isEqualTo(
            "case,due_epoch_ms,handed_ms,intake_ms,syncs_commit_ms,record_commit_ms,notice_ms");
    assertThat(lines).hasSize(3);
    String[] done = lines.get(1).split(",", -1);
    assertThat(done[0]).isEqualTo("5");
    assertThat(Double.parseDouble(done[1])).isBetween(before - 5.0, before + 60_000.0);
    assertThat(Double.parseDouble(done[2])).isNotNegative();
    assertThat(Double.parseDouble(done[3])).isGreaterThanOrEqualTo(Double.parseDouble(done[2]));
    assertThat(Double.parseDouble(done[6]))
        .isGreaterThanOrEqualTo(20)
        .isGreaterThanOrEqualTo(Double.parseDouble(done[5]));
    String[] stopped = lines.get(2).split(",", -1);
    assertThat(stopped[0]).isEqualTo("6");
    assertThat(stopped[4]).isNotEmpty();
    assertThat(stopped[5]).isEmpty();
    assertThat(stopped[6]).isEmpty();
  }

  @Test
  void anOpenLoopCaseCountsFromWhenItWasDueNotFromWhenTheSenderGotToIt() throws Exception {
    ClosureTimings timings = new ClosureTimings(cases, 0, 2, 0);
    StepCommitListener commits = timings.stepCommits();
    long due = System.nanoTime();
    // The sender was held up 40 ms by the intake before: both cases go out late, together.
    Thread.sleep(40);
    for (int i = 0; i < 2; i++) {
      timings.sendingScheduled(i, due);
      timings.accepted(i);
      commits.stepCommitted(new ClosureKey(cases.escalation(i), 1), Step.LEDGER_SYNC);
      commits.stepCommitted(new ClosureKey(cases.escalation(i), 1), Step.COMPLETION_RECORD);
      timings.noticed(cases.escalation(i));
    }

    ClosureTimings.Figures figures = timings.figures(0, Duration.ZERO);

    assertThat(figures.p50Millis()).isGreaterThanOrEqualTo(40);
    assertThat(figures.legs().get(0).name()).isEqualTo("to the sender");
    assertThat(figures.legs().get(0).p50Millis()).isGreaterThanOrEqualTo(40);
    assertThat(figures.legs().get(1).p99Millis()).isLessThan(40);
  }

  @Test
  void anIntakeMarkStampedAfterTheSyncsCommittedStillCountsAndEndsAtThatCommit() throws Exception {
    ClosureTimings timings = new ClosureTimings(cases, 0, 1, 0);
    StepCommitListener commits = timings.stepCommits();
    timings.sending(0);
    Thread.sleep(10);
    // The worker was faster than the sender thread that stamps intake's answer.
    commits.stepCommitted(new ClosureKey(cases.escalation(0), 1), Step.LEDGER_SYNC);
    Thread.sleep(20);
    timings.accepted(0);
    commits.stepCommitted(new ClosureKey(cases.escalation(0), 1), Step.COMPLETION_RECORD);
    timings.noticed(cases.escalation(0));

    List<ClosureTimings.Leg> legs = timings.figures(0, Duration.ZERO).legs();

    assertThat(legs).allSatisfy(leg -> assertThat(leg.cases()).isEqualTo(1));
    assertThat(legs.get(1).p50Millis()).as("intake").isBetween(10.0, 25.0);
    assertThat(legs.get(2).p50Millis()).as("to the syncs' commit").isZero();
    assertThat(legs.get(3).p50Millis()).as("to the completion record").isGreaterThanOrEqualTo(20);
  }

  @Test
  void aRunWithoutTheEnginesAnnouncementsHasNoLegs() throws Exception {
    assertThat(run().figures(0, Duration.ZERO).legs()).isEmpty();
  }

  /** Four cases sent and noticed at once, six more a second and a half later. */
  private ClosureTimings run() throws InterruptedException {
    ClosureTimings timings = new ClosureTimings(cases, 0, 10, 0);
    for (int i = 0; i < 4; i++) {
      timings.sending(i);
      timings.noticed(cases.escalation(i));
    }
    Thread.sleep(1_500);
    for (int i = 4; i < 10; i++) {
      timings.sending(i);
      timings.noticed(cases.escalation(i));
    }
    return timings;
  }
}
