package com.closeout.domain;

/** What became of one delivered event (SPEC §7.2 {@code events}). */
public enum EventOutcome {
  /** Started a closure; its state is the closure's. */
  CLOSURE_STARTED,
  DUPLICATE,
  STALE,
  IGNORED,
  REJECTED
}
