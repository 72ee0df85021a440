package com.closeout.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.closeout.domain.FollowUpReason;
import com.closeout.domain.SourceStatus;
import com.closeout.domain.Step;
import com.closeout.domain.TargetSystem;
import com.closeout.followup.Resolution;
import com.closeout.sandbox.FaultKind;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ScenarioFileTests {

  private static Scenario parse(String json) {
    return ScenarioFile.parse(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8), "fallback");
  }

  private static void assertMalformed(String json, String... fragments) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOf(MalformedScenarioException.class)
        .message()
        .contains(fragments);
  }

  private static final String SYSTEMS =
      """
      {'review': [{'escalationId': 'ESC-1', 'episodeId': 'EP-1', 'status': 'FINAL',
                   'dispositionVersion': 2, 'customerTranscript': 'CANARY words',
                   'customerContact': {'name': 'N', 'email': 'e@x'}}],
       'tracker': [{'escalationId': 'ESC-1', 'episodeId': 'EP-1', 'status': 'IN_REVIEW'}],
       'ledger': [{'escalationId': 'ESC-1', 'recordId': 'L-9', 'revision': 4}],
       'queue': [{'escalationId': 'ESC-1', 'status': 'OPEN'}],
       'archive': [{'uri': 'archive://x', 'sha256': 'abc'}]}
      """;

  @Test
  void everyStepKindIsRead() {
    Scenario scenario =
        parse(
            """
            {'name': 'all', 'seed': 7, 'systems': %s,
             'steps': [
               {'event': {'specversion': '1.0', 'id': 'evt-1', 'data': {'escalationId': 'ESC-1'}}},
               {'event': 'not json at all'},
               {'review': {'escalationId': 'ESC-1', 'status': 'REOPENED'}},
               {'tracker': {'escalationId': 'ESC-1'}},
               {'ledger': {'escalationId': 'ESC-1'}},
               {'queue': {'escalationId': 'ESC-1', 'itemId': 'Q-7'}},
               {'archive': {'uri': 'archive://y'}},
               {'fault': {'system': 'notification', 'failures': 2, 'kind': 'TIMEOUT'}},
               {'crash': {'afterStep': 'QUEUE_CLOSE'}},
               {'run': true},
               {'revert': {'escalationId': 'ESC-1', 'dispositionVersion': 1}},
               {'resolve': {'escalationId': 'ESC-1', 'reason': 'MAPPING_MISSING',
                            'action': 'RETRY', 'comment': 'fixed'}}],
             'expect': {'ESC-1': {'outcome': 'COMPLETED', 'reasons': [],
                                  'writes': {'tracker': 3}, 'notifications': 1,
                                  'tracker': {'status': 'REVIEW_COMPLETE'}}},
             'expectEvents': {'evt-1': 'COMPLETED'}}
            """
                .formatted(SYSTEMS));

    assertThat(scenario.name()).isEqualTo("all");
    assertThat(scenario.seed()).isEqualTo(7);
    assertThat(scenario.steps()).hasSize(12);
    ScenarioStep.Deliver event = (ScenarioStep.Deliver) scenario.steps().get(0);
    assertThat(event.eventId()).isEqualTo("evt-1");
    assertThat(event.escalationId()).isEqualTo("ESC-1");
    assertThat(
            new String(
                ((ScenarioStep.Deliver) scenario.steps().get(1)).json(), StandardCharsets.UTF_8))
        .isEqualTo("not json at all");
    assertThat(((ScenarioStep.ReplaceReview) scenario.steps().get(2)).record().record().status())
        .isEqualTo(SourceStatus.REOPENED);
    assertThat(((ScenarioStep.ReplaceQueueItem) scenario.steps().get(5)).item().itemId())
        .isEqualTo("Q-7");
    assertThat(scenario.steps().get(7))
        .isEqualTo(new ScenarioStep.Fault(TargetSystem.NOTIFICATION, FaultKind.TIMEOUT, 2));
    assertThat(scenario.steps().get(8)).isEqualTo(new ScenarioStep.Crash(Step.QUEUE_CLOSE));
    assertThat(scenario.steps().get(9)).isInstanceOf(ScenarioStep.Run.class);
    assertThat(scenario.steps().get(10)).isEqualTo(new ScenarioStep.Revert("ESC-1", 1));
    assertThat(scenario.steps().get(11))
        .isEqualTo(
            new ScenarioStep.Resolve(
                "ESC-1", FollowUpReason.MAPPING_MISSING, Resolution.RETRY, "fixed"));
    assertThat(scenario.expect().get("ESC-1").writes())
        .containsExactly(java.util.Map.entry("tracker", 3));
    assertThat(scenario.expectEvents()).containsEntry("evt-1", "COMPLETED");
  }

  @Test
  void omittedFieldsTakeTheirEmptyValueAndRevisionOne() {
    Scenario scenario = parse("{'systems': %s, 'expect': {}}".formatted(SYSTEMS));

    assertThat(scenario.name()).isEqualTo("fallback");
    var tracker = scenario.systems().tracker().get(0);
    assertThat(tracker.recordId()).isEqualTo("ESC-1");
    assertThat(tracker.dispositionVersion()).isNull();
    assertThat(tracker.closedAt()).isNull();
    assertThat(tracker.archiveRefs()).isEmpty();
    assertThat(tracker.revision()).isEqualTo(1);
    var ledger = scenario.systems().ledger().get(0);
    assertThat(ledger.recordId()).isEqualTo("L-9");
    assertThat(ledger.revision()).isEqualTo(4);
    assertThat(ledger.episodeId()).isNull();
    assertThat(ledger.status()).isNull();
    assertThat(scenario.systems().queue().get(0).itemId()).isEqualTo("Q-ESC-1");
    var review = scenario.systems().review().get(0);
    assertThat(review.record().dispositionVersion()).isEqualTo(2);
    assertThat(review.restricted().values()).containsExactly("CANARY words", "N", "e@x");
  }

  @Test
  void unknownStepIsAnError() {
    assertMalformed("{'steps': [{'sleep': 5}], 'expect': {}}", "steps[0]", "unknown step", "sleep");
  }

  @Test
  void stepWithTwoKeysIsAnError() {
    assertMalformed("{'steps': [{'run': true, 'crash': {}}], 'expect': {}}", "steps[0]");
  }

  @Test
  void unknownFaultKindOrSystemIsAnError() {
    assertMalformed(
        "{'steps': [{'fault': {'system': 'tracker', 'failures': 1, 'kind': 'SLOW'}}], 'expect': {}}",
        "steps[0].fault.kind",
        "SLOW");
    assertMalformed(
        "{'steps': [{'fault': {'system': 'crm', 'failures': 1, 'kind': 'TIMEOUT'}}], 'expect': {}}",
        "steps[0].fault.system",
        "crm");
    assertMalformed(
        "{'steps': [{'fault': {'system': 'audit', 'failures': 1, 'kind': 'TIMEOUT'}}], 'expect': {}}",
        "steps[0].fault.system");
    assertMalformed(
        "{'steps': [{'fault': {'system': 'ledger', 'kind': 'TIMEOUT'}}], 'expect': {}}",
        "steps[0].fault.failures",
        "required");
    assertMalformed(
        "{'steps': [{'fault': {'system': 'ledger', 'failures': 0, 'kind': 'TIMEOUT'}}], 'expect': {}}",
        "steps[0].fault.failures");
  }

  @Test
  void unknownKeysAnywhereAreErrors() {
    assertMalformed("{'expect': {}, 'extra': 1}", "unknown key", "extra");
    assertMalformed("{'systems': {'crm': []}, 'expect': {}}", "systems", "crm");
    assertMalformed(
        "{'systems': {'tracker': [{'escalationId': 'E', 'dispositonVersion': 1}]}, 'expect': {}}",
        "systems.tracker[0]",
        "dispositonVersion");
    assertMalformed("{'expect': {'E': {'outcom': 'COMPLETED'}}}", "expect.E", "outcom");
    assertMalformed("{'expect': {'E': {'writes': {'archive': 1}}}}", "expect.E.writes", "archive");
  }

  @Test
  void unknownValuesAreErrors() {
    assertMalformed("{'steps': [{'crash': {'afterStep': 'LUNCH'}}], 'expect': {}}", "afterStep");
    assertMalformed("{'expect': {'E': {'outcome': 'DONE'}}}", "expect.E.outcome", "DONE");
    assertMalformed("{'expect': {'E': {'reasons': ['BAD_LUCK']}}}", "expect.E.reasons[0]");
    assertMalformed("{'expect': {}, 'expectEvents': {'evt-1': 'LOST'}}", "expectEvents.evt-1");
    assertMalformed(
        "{'systems': {'review': [{'escalationId': 'E', 'status': 'DRAFT'}]}, 'expect': {}}",
        "systems.review[0].status",
        "DRAFT");
    assertMalformed(
        "{'steps': [{'resolve': {'escalationId': 'E', 'reason': 'REOPENED', 'action': 'IGNORE',"
            + " 'comment': 'c'}}], 'expect': {}}",
        "steps[0].resolve.action");
  }

  @Test
  void missingRequiredFieldsAreErrors() {
    assertMalformed("{'steps': []}", "expect", "required");
    assertMalformed(
        "{'systems': {'tracker': [{'status': 'OPEN'}]}, 'expect': {}}",
        "systems.tracker[0].escalationId");
    assertMalformed(
        "{'steps': [{'revert': {'escalationId': 'E'}}], 'expect': {}}",
        "steps[0].revert.dispositionVersion");
    assertMalformed("{'steps': [{'run': false}], 'expect': {}}", "steps[0].run");
    assertMalformed("{'steps': [{'event': 42}], 'expect': {}}", "steps[0].event");
  }

  @Test
  void notJsonAndDuplicateKeysAreErrors() {
    assertMalformed("{'expect': ", "not well-formed JSON");
    assertMalformed("{'expect': {}, 'expect': {}}", "not well-formed JSON");
    assertMalformed("[]", "JSON object");
  }

  @Test
  void messagesNeverQuoteRestrictedFields() {
    assertThatThrownBy(
            () ->
                parse(
                    "{'systems': {'review': [{'escalationId': 'E', 'customerContact':"
                        + " {'name': 'CANARY', 'phone': 'CANARY-PHONE'}}]}, 'expect': {}}"))
        .isInstanceOf(MalformedScenarioException.class)
        .message()
        .contains("customerContact", "phone")
        .doesNotContain("CANARY-PHONE");
    assertThatThrownBy(
            () ->
                parse(
                    "{'systems': {'review': [{'escalationId': 'E', 'customerTranscript': 7}]},"
                        + " 'expect': {}}"))
        .message()
        .contains("systems.review[0].customerTranscript");
  }

  @Test
  void everyScenarioFileOfOursAndTheSharedExamplesParses() throws Exception {
    java.nio.file.Path own =
        java.nio.file.Path.of(ScenarioFileTests.class.getResource("/scenarios").toURI());
    java.nio.file.Path shared = java.nio.file.Path.of("..", "shared", "scenarios");
    java.util.List<java.nio.file.Path> files = new java.util.ArrayList<>();
    for (java.nio.file.Path folder : java.util.List.of(own, shared)) {
      if (java.nio.file.Files.isDirectory(folder)) {
        try (var listing = java.nio.file.Files.list(folder)) {
          listing.filter(p -> p.toString().endsWith(".json")).forEach(files::add);
        }
      }
    }

    assertThat(files).hasSizeGreaterThan(40);
    for (java.nio.file.Path file : files) {
      Scenario scenario = ScenarioFile.parse(file);
      assertThat(scenario.expect()).as(file.toString()).isNotEmpty();
      assertThat(scenario.steps()).as(file.toString()).isNotEmpty();
    }
  }

  @Test
  void theExampleScenariosOfTheSpecShapeParse() {
    Scenario scenario =
        parse(
            """
            {'name': 'reopened-after-event', 'systems': %s,
             'steps': [{'fault': {'system': 'tracker', 'failures': 3, 'kind': 'UNAVAILABLE'}},
                       {'crash': {'afterStep': 'LEDGER_SYNC'}}, {'run': true}],
             'expect': {'ESC-1': {'outcome': 'FOLLOW_UP', 'reasons': ['REOPENED']}}}
            """
                .formatted(SYSTEMS));

    assertThat(scenario.expect().get("ESC-1").reasons()).containsExactly("REOPENED");
    assertThat(scenario.expect().get("ESC-1").writes()).isNull();
  }
}
