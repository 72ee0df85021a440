package com.closeout.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
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
