package com.closeout.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.closeout.propagation.EngineSettings;
import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.testsupport.TestDatabase;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DemoCampaignIntegrationTests {
  private static final Instant START = Instant.parse("2026-11-20T08:00:00Z");

  private static CampaignReport run(int cases, long seed) {
    try (IsolatedSchema schema = TestDatabase.freshSchema("demo")) {
      return new DemoCampaign(schema.dataSource(), new SandboxSystems(), EngineSettings.defaults())
          .run(cases, seed, "T" + seed, START);
    }
  }

  @Test
  void everyCleanCaseCompletesEveryAnomalyIsCaughtAndNothingIsWrittenTwice() {
    CampaignReport report = run(200, 7);

    assertThat(report.cases()).isEqualTo(200);
    assertThat(report.clean()).isPositive();
    assertThat(report.anomalies()).isPositive();
    assertThat(report.faulted()).isPositive();
    assertThat(report.byKind())
        .containsKeys(
            CampaignPlanner.kinds(FaultProfile.FLAKY).stream()
                .map(Enum::name)
                .toArray(String[]::new));
    assertThat(report.problems()).isEmpty();
    assertThat(report.completionRate()).isEqualTo(1.0);
    assertThat(report.detectionRate()).isEqualTo(1.0);
    assertThat(report.recoveryRate()).isEqualTo(1.0);
    assertThat(report.auditCompleteRate()).isEqualTo(1.0);
    assertThat(report.auditChainValid()).isTrue();
    assertThat(report.falsePropagations()).isZero();
    assertThat(report.duplicateEffects()).isZero();
    assertThat(report.conflictingTimestamps()).isZero();
    assertThat(report.repeatedLinks()).isZero();
    assertThat(report.restrictedLeaks()).isZero();
    report
        .byKind()
        .forEach(
            (kind, result) -> assertThat(result.asExpected()).as(kind).isEqualTo(result.cases()));
  }

  @Test
  void theSameSeedPlansTheSameCampaignAndGivesTheSameMeasures() {
    CampaignReport first = run(60, 11);
    CampaignReport second = run(60, 11);
    assertThat(second.byKind()).isEqualTo(first.byKind());
    assertThat(second.faulted()).isEqualTo(first.faulted());
    assertThat(second.completedWithoutRepair()).isEqualTo(first.completedWithoutRepair());
    assertThat(second.anomaliesCaught()).isEqualTo(first.anomaliesCaught());
  }
}
