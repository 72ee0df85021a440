package com.closeout.propagation;

import com.closeout.domain.SourceRecord;
import com.closeout.domain.Step;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** One claimed closure as the worker carries it through a batch: its record and step rows. */
final class ClosureRun {
  final Closure closure;
  SourceRecord record;
  final Map<Step, StepProgress> steps = new EnumMap<>(Step.class);

  /** Still going: not stopped, waiting, stale or handed back. */
  boolean active = true;

  /** A step finished during this claim: progress resets the retry count. */
  boolean progressed;

  /** A closure as claimed, with the step rows the claim read. */
  ClosureRun(ClosureStore.Claimed claimed) {
    this.closure = claimed.closure();
    steps(claimed.steps());
  }

  void steps(List<StepProgress> rows) {
    rows.forEach(row -> steps.put(row.step(), row));
  }

  boolean needs(Step step) {
    return active && !steps.get(step).status().isFinished();
  }
}
