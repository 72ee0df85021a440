package com.closeout.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.closeout.propagation.EngineSettings;
import com.closeout.testsupport.TestDatabase;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A small soak for CI: many seeded chaos campaigns, on one instance and on several at once, every
 * invariant checked after each. A failure names the seed and escalation; rerun that seed alone with
 * {@code bin/closeout evaluate --seed S --faults chaos --cases 60} (add {@code --instances}). Widen
 * it with {@code -Dcloseout.soak.seeds=200}.
 */
class EvaluationSoakTests {
  private static final int CASES = 60;
  private static final Evaluation EVALUATION =
      new Evaluation(TestDatabase.server(), EngineSettings.defaults());

  private static void soak(long first, long last, int instances) {
    Evaluation.SoakResult result =
        EVALUATION.soak(
            new CampaignSpec(CASES, first, FaultProfile.CHAOS, instances, null),
            first,
            last,
            null,
            null);

    String failures =
        result.failed().stream()
            .flatMap(
                seed ->
                    seed.problems().stream()
                        .map(p -> "seed " + seed.seed() + " " + p.escalationId() + ": " + p.what()))
            .collect(Collectors.joining("\n"));
    assertThat(result.seeds()).hasSize((int) (last - first + 1));
    assertThat(failures).as("failing seeds").isEmpty();
    assertThat(result.seeds())
        .allSatisfy(s -> assertThat(s.report().byFault()).containsKey(CampaignMeasures.CRASH));
  }

  @Test
  void chaosCampaignsOnOneInstanceKeepEveryInvariantOnEverySeed() {
    soak(1, Long.getLong("closeout.soak.seeds", 20), 1);
  }

  @Test
  void chaosCampaignsOnTwoInstancesAtOnceKeepEveryInvariant() {
    soak(1001, 1004, 2);
  }
}
