package com.closeout.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.closeout.domain.SourceStatus;
import com.closeout.domain.Step;
import com.closeout.domain.TargetSystem;
import com.closeout.sandbox.FaultKind;
import com.closeout.testsupport.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Seeded randomized runs of one escalation: its event delivered with random redeliveries and
 * re-emissions, random faults of every kind on every system and random crash points. However it
 * goes, the result is that of one clean delivery. Seeds where the record is reopened, superseded or
 * of another episode write nothing anywhere.
 *
 * <p>Reproduce one seed alone with {@code -Dcloseout.fuzz.seed=17}; change the number of seeds with
 * {@code -Dcloseout.fuzz.seeds=200}.
 */
class ScenarioFuzzTests {
  private static final List<TargetSystem> FAULTED =
      List.of(
          TargetSystem.TRACKER,
          TargetSystem.LEDGER,
          TargetSystem.QUEUE,
          TargetSystem.NOTIFICATION,
          TargetSystem.REVIEW,
          TargetSystem.ARCHIVE);
  private static final Map<String, Integer> CLEAN =
      Map.of("tracker", 3, "ledger", 3, "queue", 1, "notification", 1);
  private static final Map<String, Integer> NOTHING =
      Map.of("tracker", 0, "ledger", 0, "queue", 0, "notification", 0);

  @TestFactory
  Stream<DynamicTest> everyRandomDeliveryEndsAsOneCleanDelivery() {
    return seeds().mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> runSeed(seed)));
  }

  private static LongStream seeds() {
    String one = System.getProperty("closeout.fuzz.seed");
    if (one != null && !one.isBlank()) {
      return LongStream.of(Long.parseLong(one.trim()));
    }
    return LongStream.rangeClosed(1, Long.getLong("closeout.fuzz.seeds", 40));
  }

  /** Every eighth seed is a record that must stop the closure; the others are clean. */
  private enum Case {
    CLEAN,
    REOPENED,
    SUPERSEDED,
    EVENT_EPISODE_MISMATCH,
    TARGET_EPISODE_MISMATCH
  }

  private static Case caseOf(long seed) {
    if (seed % 8 != 0) {
      return Case.CLEAN;
    }
    return Case.values()[1 + (int) ((seed / 8) % 4)];
  }

  private static void runSeed(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Case kind = caseOf(seed);
    String escalation = "ESC-F" + seed;
    ScenarioSystems systems =
        switch (kind) {
          case CLEAN, EVENT_EPISODE_MISMATCH -> ScenarioFixtures.cleanSystems(escalation, 1);
          case REOPENED ->
              ScenarioFixtures.systems(
                  ScenarioFixtures.review(escalation, SourceStatus.REOPENED, 1, "EP-1"), "EP-1", 1);
          case SUPERSEDED ->
              ScenarioFixtures.systems(
                  ScenarioFixtures.review(escalation, SourceStatus.FINAL, 2, "EP-1"), "EP-1", 2);
          case TARGET_EPISODE_MISMATCH ->
              ScenarioFixtures.systems(
                  ScenarioFixtures.review(escalation, SourceStatus.FINAL, 1, "EP-1"), "EP-0", 1);
        };
    String eventEpisode = kind == Case.EVENT_EPISODE_MISMATCH ? "EP-2" : "EP-1";

    List<ScenarioStep> steps = new ArrayList<>();
    // Faults and crash points are armed before the first delivery or between deliveries.
    List<ScenarioStep> disruptions = new ArrayList<>();
    int faults = random.nextInt(4);
    for (int i = 0; i < faults; i++) {
      TargetSystem system = FAULTED.get(random.nextInt(FAULTED.size()));
      FaultKind fault = FaultKind.values()[random.nextInt(FaultKind.values().length)];
      disruptions.add(new ScenarioStep.Fault(system, fault, 1 + random.nextInt(2)));
    }
    int crashes = random.nextInt(3);
    for (int i = 0; i < crashes; i++) {
      disruptions.add(new ScenarioStep.Crash(Step.values()[random.nextInt(Step.values().length)]));
    }
    String firstId = "evt-" + seed + "-1";
    List<ScenarioStep> deliveries = new ArrayList<>();
    deliveries.add(ScenarioFixtures.event(firstId, escalation, 1, eventEpisode, List.of()));
    List<String> reEmissions = new ArrayList<>();
    int extra = random.nextInt(4);
    for (int i = 0; i < extra; i++) {
      if (random.nextBoolean()) {
        deliveries.add(ScenarioFixtures.event(firstId, escalation, 1, eventEpisode, List.of()));
      } else {
        String id = "evt-" + seed + "-r" + i;
        reEmissions.add(id);
        deliveries.add(ScenarioFixtures.event(id, escalation, 1, eventEpisode, List.of()));
      }
    }
    // Interleave: each disruption goes before a random delivery; runs sprinkled in between.
    List<List<ScenarioStep>> before = new ArrayList<>();
    deliveries.forEach(d -> before.add(new ArrayList<>()));
    for (ScenarioStep disruption : disruptions) {
      before.get(random.nextInt(deliveries.size())).add(disruption);
    }
    for (int i = 0; i < deliveries.size(); i++) {
      steps.addAll(before.get(i));
      steps.add(deliveries.get(i));
      if (random.nextInt(3) == 0) {
        steps.add(new ScenarioStep.Run());
      }
    }

    Scenario scenario =
        new Scenario(
            "fuzz-" + seed + "-" + kind.name().toLowerCase(),
            systems,
            steps,
            Map.of(),
            Map.of(),
            seed);
    ScenarioResult result = new ScenarioRunner().run(scenario, TestDatabase.server());
    EscalationReport report = result.escalations().get(escalation);
    String replay = "replay with -Dcloseout.fuzz.seed=" + seed + "\n" + result.toPrettyJson();

    assertThat(result.chainValid()).as(replay).isTrue();
    assertThat(result.restrictedLeaks()).as(replay).isZero();
    for (String reEmission : reEmissions) {
      assertThat(result.events()).as(replay).containsEntry(reEmission, "DUPLICATE");
    }
    if (kind == Case.CLEAN) {
      assertThat(report.outcome()).as(replay).isEqualTo("COMPLETED");
      assertThat(report.reasons()).as(replay).isEmpty();
      assertThat(report.writes()).as(replay).isEqualTo(CLEAN);
      assertThat(report.notifications()).as(replay).isEqualTo(1);
      assertThat(result.events()).as(replay).containsEntry(firstId, "COMPLETED");
      for (EscalationReport.TargetState target : List.of(report.tracker(), report.ledger())) {
        assertThat(target.status()).as(replay).isEqualTo("REVIEW_COMPLETE");
        assertThat(target.dispositionVersion()).as(replay).isEqualTo(1);
        assertThat(target.closedAt()).as(replay).isEqualTo(ScenarioFixtures.FINALIZED);
        assertThat(target.archiveRefs())
            .as(replay)
            .containsExactlyElementsOf(ScenarioFixtures.refs(escalation, 1));
      }
      assertThat(report.queue().status()).as(replay).isEqualTo("CLOSED");
      assertThat(report.queue().closedAt()).as(replay).isEqualTo(ScenarioFixtures.FINALIZED);
    } else {
      String reason =
          switch (kind) {
            case REOPENED -> "REOPENED";
            case SUPERSEDED -> "DISPOSITION_SUPERSEDED";
            default -> "EPISODE_MISMATCH";
          };
      assertThat(report.outcome()).as(replay).isEqualTo("FOLLOW_UP");
      assertThat(report.reasons()).as(replay).containsExactly(reason);
      assertThat(report.writes()).as(replay).isEqualTo(NOTHING);
      assertThat(report.notifications()).as(replay).isZero();
      assertThat(report.tracker().status()).as(replay).isEqualTo("IN_REVIEW");
      assertThat(report.queue().status()).as(replay).isEqualTo("OPEN");
    }
  }
}
