package com.closeout.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.closeout.propagation.EngineSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBudgetTests {
  private static final EngineSettings DEFAULTS = EngineSettings.defaults();

  @Test
  void theDefaultsRideOutAnOutageUntilTheTenthAttemptAtTheShortestDelays() {
    // Shortest delays 1, 2, 4 ... 128 s, then half the 5-minute cap: the 10th attempt at 405 s.
    assertThat(RetryBudget.longestOutage(DEFAULTS, 0)).isEqualTo(Duration.ofSeconds(405));
    assertThat(RetryBudget.failuresWithin(DEFAULTS, Duration.ofSeconds(405))).isEqualTo(9);
    assertThat(RetryBudget.failuresWithin(DEFAULTS, Duration.ofSeconds(406))).isEqualTo(10);
  }

  @Test
  void refusalsFromOtherFaultsShortenTheOutageAClosureSurvives() {
    Duration withThree = RetryBudget.longestOutage(DEFAULTS, 3);

    assertThat(withThree).isEqualTo(Duration.ofSeconds(63));
    assertThat(RetryBudget.failuresWithin(DEFAULTS, withThree)).isEqualTo(6);
    assertThat(RetryBudget.longestOutage(DEFAULTS, 9)).isZero();
  }
}
