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

  /** This step as a guarded write of its prior values leaves it: the next revision. */
  public StepProgress withPrior(List<TargetSnapshot> recorded) {
    return new StepProgress(
        closureId, step, status, revision + 1, idempotencyKey, recorded, written, finishedAt);
  }
}
