package com.closeout.verification;

import com.closeout.domain.ClosureKey;

/** Whether the closure of a given version has completed: decides STALE against SUPERSEDED. */
@FunctionalInterface
public interface CompletedClosures {
  boolean isCompleted(ClosureKey key);
}
