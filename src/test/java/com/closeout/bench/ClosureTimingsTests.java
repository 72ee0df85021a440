package com.closeout.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.closeout.domain.ClosureKey;
import com.closeout.domain.Step;
import com.closeout.propagation.StepCommitListener;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClosureTimingsTests {
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

    assertThat(legs)
        .extracting(ClosureTimings.Leg::name)
        .containsExactly(
            "intake", "to the syncs' commit", "to the completion record's commit", "to the notice");
    assertThat(legs).allSatisfy(leg -> assertThat(leg.cases()).isEqualTo(2));
    assertThat(legs.get(1).p50Millis()).isGreaterThanOrEqualTo(30);
    assertThat(legs.get(3).p50Millis()).isGreaterThanOrEqualTo(20);
    assertThat(legs.get(0).p99Millis()).isLessThan(legs.get(1).p50Millis());
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
