package com.closeout.propagation;

import com.closeout.domain.ClosureKey;
import com.closeout.domain.Step;
import com.closeout.domain.TargetSystem;
import java.util.List;

/** What an operator's revert of a closure did. */
public sealed interface RevertOutcome {
  /** Every step Closeout had written was undone, in reverse order; the coordinator was told. */
  record Reverted(ClosureKey key, List<Step> undone) implements RevertOutcome {
    public Reverted {
      undone = List.copyOf(undone);
    }
  }

  /** A target no longer holds what Closeout wrote; the revert stopped with a follow-up. */
  record Conflict(ClosureKey key, Step step, TargetSystem system, long followUpId)
      implements RevertOutcome {}

  /** A target did not answer; nothing more was undone, and the revert can be run again. */
  record Unavailable(ClosureKey key, Step step, TargetSystem system) implements RevertOutcome {}

  /** The closure does not exist or is in a state that cannot be reverted. */
  record Refused(String why) implements RevertOutcome {}
}
