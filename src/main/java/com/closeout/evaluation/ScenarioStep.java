package com.closeout.evaluation;

import com.closeout.domain.FollowUpReason;
import com.closeout.domain.Step;
import com.closeout.domain.TargetSystem;
import com.closeout.followup.Resolution;
import com.closeout.sandbox.FaultKind;
import com.closeout.targets.ArchiveObject;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.QueueItem;
import java.util.Objects;

/** One step of a scenario (SPEC §7.1), plus Closeout's own operator interventions. */
public sealed interface ScenarioStep {

  /**
   * Delivers a CloudEvent as the broker would: the raw JSON, which may be malformed on purpose.
   *
   * @param eventId the event's {@code id} when the JSON has one, for the report
   * @param escalationId the escalation the event names, if any, for the report
   */
  record Deliver(byte[] json, String eventId, String escalationId) implements ScenarioStep {
    public Deliver {
      Objects.requireNonNull(json, "json");
      json = json.clone();
    }

    @Override
    public byte[] json() {
      return json.clone();
    }
  }

  record ReplaceReview(ReviewSeed record) implements ScenarioStep {}

  record ReplaceTracker(BookkeepingRecord record) implements ScenarioStep {}

  record ReplaceLedger(BookkeepingRecord record) implements ScenarioStep {}

  record ReplaceQueueItem(QueueItem item) implements ScenarioStep {}

  record ReplaceArchiveObject(ArchiveObject object) implements ScenarioStep {}

  record Fault(TargetSystem system, FaultKind kind, int failures) implements ScenarioStep {}

  /** Kills the worker the next time {@code afterStep} has committed, then starts a fresh one. */
  record Crash(Step afterStep) implements ScenarioStep {}

  /** Advances the clock and lets the worker run until nothing is left to do. */
  record Run() implements ScenarioStep {}

  /** An operator reverts the closure of one escalation and disposition version. */
  record Revert(String escalationId, int dispositionVersion) implements ScenarioStep {}

  /** A person resolves the open follow-up of an escalation with the given reason. */
  record Resolve(String escalationId, FollowUpReason reason, Resolution action, String comment)
      implements ScenarioStep {}
}
