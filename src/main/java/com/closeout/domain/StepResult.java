package com.closeout.domain;

import java.time.Duration;
import java.util.List;

/** The outcome of one propagation step. */
public sealed interface StepResult {

  /** The step changed at least one target; {@code written} says what each now holds. */
  record Applied(List<TargetSnapshot> written) implements StepResult {
    public Applied {
      written = List.copyOf(written);
    }
  }

  /** Every target already held the desired state; nothing was written. */
  record AlreadyDone(TargetSystem system, String targetRecordId) implements StepResult {}

  /** A target holds something Closeout did not expect (another episode, a newer version...). */
  record Conflict(TargetSystem system, String targetRecordId, String detail)
      implements StepResult {}

  /**
   * A target did not answer, or kept changing under us; try again after a delay of at least {@code
   * retryAfter} when the target named one ({@code null} otherwise).
   */
  record Unavailable(TargetSystem system, String detail, Duration retryAfter)
      implements StepResult {
    public Unavailable(TargetSystem system, String detail) {
      this(system, detail, null);
    }
  }
}
