package com.closeout.propagation;

import com.closeout.domain.IdempotencyKey;
import com.closeout.domain.Step;
import com.closeout.domain.StepStatus;
import com.closeout.domain.TargetSnapshot;
import java.time.Instant;
import java.util.List;

/**
 * Durable progress of one step: whether it finished, what each target held before it (so it can be
 * reverted) and what it wrote.
 */
public record StepProgress(
    long closureId,
    Step step,
    StepStatus status,
    long revision,
    IdempotencyKey idempotencyKey,
    List<TargetSnapshot> prior,
    List<TargetSnapshot> written,
    Instant finishedAt) {
  public StepProgress {
    prior = prior == null ? List.of() : List.copyOf(prior);
    written = written == null ? List.of() : List.copyOf(written);
  }

  /**
   * This step once its prior values are recorded: recording them leaves the step's revision as it
   * is (the guard of a later step write also names whether prior values were recorded when read).
   */
  public StepProgress withPrior(List<TargetSnapshot> recorded) {
    return new StepProgress(
        closureId, step, status, revision, idempotencyKey, recorded, written, finishedAt);
  }

  /** This step once its recorded prior values are forgotten: the next revision. */
  public StepProgress forgotten() {
    return new StepProgress(
        closureId, step, status, revision + 1, idempotencyKey, List.of(), written, finishedAt);
  }
}
