package com.closeout.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import com.closeout.domain.SourceStatus;
import com.closeout.domain.Step;
import com.closeout.sandbox.RestrictedContent;
import com.closeout.testsupport.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ScenarioRunnerTests {
  private static final String ESC = "ESC-R1";

  private static ScenarioResult run(
      ScenarioSystems systems,
      List<ScenarioStep> steps,
      Map<String, EscalationExpectation> expect) {
    return new ScenarioRunner()
        .run(
            new Scenario("runner-test", systems, steps, expect, Map.of(), 1),
            TestDatabase.server());
  }

  private static EscalationExpectation outcome(String outcome, List<String> reasons) {
    return new EscalationExpectation(outcome, reasons, null, null, null, null, null);
  }

  @Test
  void reportHasExactlyTheShapeOfTheSpec() {
    ScenarioResult result =
        run(
            ScenarioFixtures.cleanSystems(ESC, 1),
            List.of(ScenarioFixtures.event("evt-1", ESC)),
            Map.of(ESC, outcome("COMPLETED", List.of())));

    JsonNode json = result.toJsonNode();
    assertThat(json.propertyNames())
        .containsExactly("scenario", "passed", "events", "escalations", "audit", "restrictedLeaks");
    JsonNode escalation = json.get("escalations").get(ESC);
    assertThat(escalation.propertyNames())
        .containsExactly(
            "outcome", "reasons", "tracker", "ledger", "queue", "notifications", "writes");
    assertThat(escalation.get("tracker").propertyNames())
        .containsExactly("status", "dispositionVersion", "closedAt", "archiveRefs");
    assertThat(escalation.get("queue").propertyNames()).containsExactly("status", "closedAt");
    assertThat(escalation.get("writes").propertyNames())
        .containsExactly("tracker", "ledger", "queue", "notification");
    assertThat(json.get("audit").propertyNames()).containsExactly("entries", "chainValid");
    assertThat(json.get("passed").booleanValue()).isTrue();
    assertThat(json.get("events").get("evt-1").stringValue()).isEqualTo("COMPLETED");
    assertThat(escalation.get("tracker").get("closedAt").stringValue())
        .isEqualTo("2026-11-11T09:57:00Z");
  }

  @Test
  void unmetExpectationFailsTheScenarioAndSaysWhy() {
    ScenarioResult result =
        run(
            ScenarioFixtures.cleanSystems(ESC, 1),
            List.of(ScenarioFixtures.event("evt-1", ESC)),
            Map.of(ESC, outcome("FOLLOW_UP", List.of("REOPENED"))));

    assertThat(result.passed()).isFalse();
    assertThat(result.mismatches())
        .containsExactly(
            ESC + ".outcome: expected FOLLOW_UP, got COMPLETED",
            ESC + ".reasons: expected [REOPENED], got []");
  }

  @Test
  void malformedEventIsRejectedAndStartsNothing() {
    ScenarioResult result =
        run(
            ScenarioFixtures.cleanSystems(ESC, 1),
            List.of(
                new ScenarioStep.Deliver(
                    "{\"id\": \"evt-bad\", \"specversion\": \"1.0\"}"
                        .getBytes(StandardCharsets.UTF_8),
                    "evt-bad",
                    ESC),
                new ScenarioStep.Deliver("not json".getBytes(StandardCharsets.UTF_8), null, null)),
            Map.of(ESC, outcome("NONE", List.of())));

    assertThat(result.passed()).isTrue();
    assertThat(result.events())
        .containsExactly(Map.entry("evt-bad", "REJECTED"), Map.entry("rejected-1", "REJECTED"));
  }

  @Test
  void crashKillsTheWorkerOnceAndAFreshWorkerFinishes() {
    ScenarioResult result =
        run(
            ScenarioFixtures.cleanSystems(ESC, 1),
            List.of(
                new ScenarioStep.Crash(Step.QUEUE_CLOSE),
                ScenarioFixtures.event("evt-1", ESC),
                new ScenarioStep.Crash(Step.TRACKER_SYNC)),
            Map.of(ESC, outcome("COMPLETED", List.of())));

    assertThat(result.passed()).isTrue();
    assertThat(result.escalations().get(ESC).writes())
        .isEqualTo(Map.of("tracker", 3, "ledger", 3, "queue", 1, "notification", 1));
  }

  @Test
  void resolveWithoutAMatchingFollowUpFailsTheScenario() {
    ScenarioResult result =
        run(
            ScenarioFixtures.cleanSystems(ESC, 1),
            List.of(
                ScenarioFixtures.event("evt-1", ESC),
                new ScenarioStep.Resolve(
                    ESC,
                    com.closeout.domain.FollowUpReason.REOPENED,
                    com.closeout.followup.Resolution.RETRY,
                    "nothing to retry")),
            Map.of(ESC, outcome("COMPLETED", List.of())));

    assertThat(result.passed()).isFalse();
    assertThat(result.mismatches()).singleElement().asString().contains("no open REOPENED");
  }

  @Test
  void leakCountFindsRestrictedValuesInTargetsAuditAndLogs() {
    // A "restricted" value that the engine legitimately writes everywhere shows the count looks
    // in targets, the audit store and the logs.
    RestrictedContent sameAsStatus =
        new RestrictedContent("REVIEW_COMPLETE", null, null, null, null);
    ScenarioSystems systems =
        ScenarioFixtures.systems(
            ScenarioFixtures.review(ESC, SourceStatus.FINAL, 1, "EP-1", sameAsStatus), "EP-1", 1);

    ScenarioResult result =
        run(
            systems,
            List.of(ScenarioFixtures.event("evt-1", ESC)),
            Map.of(ESC, outcome("COMPLETED", List.of())));

    // Tracker and ledger status, plus their audit entries and step snapshots.
    assertThat(result.restrictedLeaks()).isGreaterThan(2);
  }
}
