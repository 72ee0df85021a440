package com.closeout.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.closeout.propagation.EngineSettings;
import com.closeout.testsupport.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each profile injects what it says (the per-fault breakdown counts what went off, measured at the
 * ports) and every invariant still holds; the same seed gives the same report.
 */
class CampaignProfilesIntegrationTests {
  private static final Evaluation EVALUATION =
      new Evaluation(TestDatabase.server(), EngineSettings.defaults());

  private static CampaignReport run(FaultProfile profile, long seed, int instances) {
    return EVALUATION.run(new CampaignSpec(60, seed, profile, instances, null));
  }

  private static void assertInvariantsHold(CampaignReport report) {
    assertThat(report.problems()).as("problems").isEmpty();
    assertThat(report.passed()).isTrue();
    assertThat(report.lostClosures()).isZero();
    assertThat(report.completionRate()).isEqualTo(1.0);
    assertThat(report.detectionRate()).isEqualTo(1.0);
    assertThat(report.anomaliesCaught()).isEqualTo(report.anomalies());
    assertThat(report.falsePropagations()).isZero();
    assertThat(report.duplicateEffects()).isZero();
    assertThat(report.conflictingTimestamps()).isZero();
    assertThat(report.repeatedLinks()).isZero();
    assertThat(report.auditCompleteRate()).isEqualTo(1.0);
    assertThat(report.auditChainValid()).isTrue();
    assertThat(report.restrictedLeaks()).isZero();
    assertThat(report.recovered()).isEqualTo(report.faulted());
    report.byKind().forEach((kind, r) -> assertThat(r.asExpected()).as(kind).isEqualTo(r.cases()));
  }

  /** The fault kinds that went off, e.g. {UNAVAILABLE, TIMEOUT}, by their label's second part. */
  private static Set<String> kindsInjected(CampaignReport report) {
    return report.byFault().entrySet().stream()
        .filter(e -> e.getValue().injected() > 0)
        .map(e -> e.getKey().substring(e.getKey().indexOf('/') + 1))
        .collect(Collectors.toSet());
  }

  @Test
  void withoutFaultsNothingIsInjectedAndEveryAnomalyIsCaught() {
    CampaignReport report = run(FaultProfile.NONE, 5, 1);

    assertThat(report.byFault()).isEmpty();
    assertThat(report.faulted()).isZero();
    assertThat(report.byKind().keySet())
        .containsExactlyInAnyOrderElementsOf(
            CampaignPlanner.kinds(FaultProfile.NONE).stream().map(Enum::name).toList());
    assertInvariantsHold(report);
  }

  @Test
  void flakyTargetsRefuseTimeOutAndConflictYetEveryCleanCaseCompletesOnce() {
    CampaignReport report = run(FaultProfile.FLAKY, 5, 1);

    assertThat(kindsInjected(report))
        .containsExactlyInAnyOrder("UNAVAILABLE", "TIMEOUT", "CONFLICT");
    Set<String> systems =
        report.byFault().keySet().stream()
            .map(label -> label.substring(0, label.indexOf('/')))
            .collect(Collectors.toSet());
    assertThat(systems).contains("tracker", "ledger", "queue", "notification");
    assertThat(report.faulted()).isPositive();
    assertInvariantsHold(report);
  }

  @Test
  void anOutageOfOneTargetIsRiddenOutWithinTheRetryBudget() {
    CampaignReport report = run(FaultProfile.OUTAGE, 5, 1);

    List<Map.Entry<String, CampaignReport.FaultResult>> outages =
        report.byFault().entrySet().stream().filter(e -> e.getKey().endsWith("/OUTAGE")).toList();
    assertThat(report.byFault()).hasSize(1);
    assertThat(outages).hasSize(1);
    assertThat(outages.get(0).getValue().injected()).isPositive();
    assertThat(outages.get(0).getValue().recovered()).isEqualTo(outages.get(0).getValue().cases());
    assertThat(report.outage()).endsWith("for PT5M");
    assertInvariantsHold(report);
  }

  @Test
  void workersKilledAtStepBoundariesResumeAfterRestartWithoutWritingTwice() {
    CampaignReport report = run(FaultProfile.CRASHES, 5, 1);

    assertThat(report.byFault()).containsOnlyKeys(CampaignMeasures.CRASH);
    assertThat(report.byFault().get(CampaignMeasures.CRASH).injected()).isPositive();
    assertInvariantsHold(report);
  }

  @Test
  void chaosInjectsEveryFaultDisordersDeliveriesAndChangesRecordsMidFlight() {
    CampaignReport report = run(FaultProfile.CHAOS, 5, 1);

    assertThat(kindsInjected(report))
        .containsExactlyInAnyOrder("UNAVAILABLE", "TIMEOUT", "CONFLICT", "OUTAGE", "CRASH");
    assertThat(report.byKind())
        .containsKeys(
            "LATE_DELIVERY",
            "REORDERED",
            "REOPENED_MID_FLIGHT",
            "SUPERSEDED_MID_FLIGHT",
            "DUPLICATE_DELIVERY",
            "REEMISSION_NEW_ID");
    assertInvariantsHold(report);
  }

  @Test
  void chaosOnSeveralInstancesAtOnceKeepsEveryInvariant() {
    CampaignReport report = run(FaultProfile.CHAOS, 6, 3);

    assertThat(report.instances()).isEqualTo(3);
    assertThat(kindsInjected(report)).contains("OUTAGE", "CRASH");
    assertInvariantsHold(report);
  }

  @Test
  void theSameSeedGivesTheSameCampaignAndTheSameReport() {
    CampaignReport first = run(FaultProfile.CHAOS, 11, 1);
    CampaignReport second = run(FaultProfile.CHAOS, 11, 1);

    assertThat(second.withoutTiming()).isEqualTo(first.withoutTiming());
    assertThat(first.byFault()).isNotEmpty();
  }

  @Test
  void aRetryBudgetTooSmallForTheFaultsLosesClosuresAndTheReportNamesThem() {
    EngineSettings oneAttempt = EngineSettings.defaults().withMaxAttempts(1);
    CampaignReport report =
        new Evaluation(TestDatabase.server(), oneAttempt)
            .run(new CampaignSpec(60, 5, FaultProfile.FLAKY, 1, null));

    assertThat(report.passed()).isFalse();
    assertThat(report.lostClosures()).isPositive();
    assertThat(report.problems())
        .anySatisfy(
            p -> {
              assertThat(p.escalationId()).startsWith("ESC-s5-");
              assertThat(p.what()).contains("RETRIES_EXHAUSTED").contains("expected COMPLETED");
            });
  }

  @Test
  void anOutageLongerThanTheRetryBudgetIsRefused() {
    Duration longest = Campaign.longestOutage(FaultProfile.OUTAGE, EngineSettings.defaults());

    assertThatThrownBy(
            () -> EVALUATION.run(new CampaignSpec(10, 1, FaultProfile.OUTAGE, 1, longest)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outlasts the retry budget");
  }
}
