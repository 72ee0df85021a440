package com.closeout.domain;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The one state table for closures and steps. Every guarded status write consults it first, so an
 * illegal move is a bug (an exception), never a silent overwrite.
 */
public final class ClosureTransitions {
  private static final Map<ClosureStatus, Set<ClosureStatus>> CLOSURE =
      new EnumMap<>(ClosureStatus.class);
  private static final Map<StepStatus, Set<StepStatus>> STEP = new EnumMap<>(StepStatus.class);

  static {
    CLOSURE.put(ClosureStatus.PENDING, EnumSet.of(ClosureStatus.RUNNING));
    CLOSURE.put(
        ClosureStatus.RUNNING,
        EnumSet.of(
            ClosureStatus.PENDING, // retry delay, or a lease given up
            ClosureStatus.FOLLOW_UP,
            ClosureStatus.COMPLETED,
            ClosureStatus.STALE));
    CLOSURE.put(
        ClosureStatus.FOLLOW_UP,
        EnumSet.of(
            ClosureStatus.PENDING, // a person chose retry: re-verify from scratch
            ClosureStatus.DISMISSED,
            ClosureStatus.REVERTING));
    CLOSURE.put(ClosureStatus.COMPLETED, EnumSet.of(ClosureStatus.REVERTING));
    CLOSURE.put(
        ClosureStatus.REVERTING,
        EnumSet.of(
            ClosureStatus.REVERTED,
            ClosureStatus.REVERT_CONFLICT,
            ClosureStatus.REVERTING)); // a crashed revert is taken over
    CLOSURE.put(
        ClosureStatus.REVERT_CONFLICT,
        EnumSet.of(ClosureStatus.REVERTING, ClosureStatus.DISMISSED));
    CLOSURE.put(ClosureStatus.STALE, EnumSet.noneOf(ClosureStatus.class));
    CLOSURE.put(ClosureStatus.DISMISSED, EnumSet.noneOf(ClosureStatus.class));
    CLOSURE.put(ClosureStatus.REVERTED, EnumSet.noneOf(ClosureStatus.class));

    STEP.put(StepStatus.PENDING, EnumSet.of(StepStatus.DONE, StepStatus.SKIPPED_ALREADY_DONE));
    STEP.put(StepStatus.DONE, EnumSet.of(StepStatus.UNDONE));
    STEP.put(StepStatus.SKIPPED_ALREADY_DONE, EnumSet.noneOf(StepStatus.class));
    STEP.put(StepStatus.UNDONE, EnumSet.noneOf(StepStatus.class));
  }

  /**
   * Where a closure starts: waiting for a claim, or leased at once to the worker of the instance
   * whose intake started it (decision 0023).
   */
  private static final Set<ClosureStatus> STARTS =
      EnumSet.of(ClosureStatus.PENDING, ClosureStatus.RUNNING);

  private ClosureTransitions() {}

  public static boolean startsIn(ClosureStatus status) {
    return STARTS.contains(status);
  }

  public static boolean allowed(ClosureStatus from, ClosureStatus to) {
    return CLOSURE.get(from).contains(to);
  }

  public static boolean allowed(StepStatus from, StepStatus to) {
    return STEP.get(from).contains(to);
  }

  public static void check(ClosureStatus from, ClosureStatus to) {
    if (!allowed(from, to)) {
      throw new IllegalStateException("closure may not move from " + from + " to " + to);
    }
  }

  public static void check(StepStatus from, StepStatus to) {
    if (!allowed(from, to)) {
      throw new IllegalStateException("step may not move from " + from + " to " + to);
    }
  }
}
