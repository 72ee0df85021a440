package com.closeout.evaluation;

import com.closeout.domain.TargetSystem;
import com.closeout.sandbox.FaultKind;

/**
 * A fault a campaign arms on one system for one escalation's calls only (SPEC §7.1 semantics):
 * UNAVAILABLE refuses the next {@code count} calls, TIMEOUT applies the next writes and loses their
 * answers, CONFLICT has someone else move the record's revision just before the next writes.
 *
 * @param writesOnly UNAVAILABLE for writes only (reads still answer), so the refusal lands on a
 *     step rather than on the verification reads before it
 */
public record PlannedFault(TargetSystem system, FaultKind kind, int count, boolean writesOnly) {
  public PlannedFault {
    if (count < 1) {
      throw new IllegalArgumentException("count must be positive");
    }
  }

  /** How the per-fault breakdown names it, e.g. {@code tracker/TIMEOUT}. */
  public String label() {
    return system.wireName() + "/" + kind.name();
  }
}
