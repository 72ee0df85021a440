package com.closeout.propagation;

import com.closeout.domain.ClosureKey;
import com.closeout.domain.Step;

/**
 * Told after a step's progress has committed. Production uses {@link #NONE}; the scenario runner
 * uses it to kill a worker at an exact step boundary.
 */
@FunctionalInterface
public interface StepCommitListener {
  StepCommitListener NONE = (key, step) -> {};

  void stepCommitted(ClosureKey key, Step step);
}
