package com.closeout.domain;

/** Lifecycle of one closure. Allowed moves are listed once, in {@link ClosureTransitions}. */
public enum ClosureStatus {
  /** Waiting for a worker: new, resumed after a crash, or waiting out a retry delay. */
  PENDING,
  /** Claimed by one worker, which holds a lease on it. */
  RUNNING,
  /** Stopped until a person retries or dismisses the follow-up. */
  FOLLOW_UP,
  COMPLETED,
  /** A newer version's closure already completed; this one starts nothing. */
  STALE,
  /** A person dismissed the follow-up; nothing more happens. */
  DISMISSED,
  /** An operator asked to undo the closure; a worker holds a lease on it. */
  REVERTING,
  REVERTED,
  /** A revert found a target that no longer holds what Closeout wrote. */
  REVERT_CONFLICT;

  public boolean isTerminal() {
    return this == STALE || this == DISMISSED || this == REVERTED;
  }

  /** Whether a worker holds this closure; at most one such closure per escalation. */
  public boolean isLeased() {
    return this == RUNNING || this == REVERTING;
  }
}
