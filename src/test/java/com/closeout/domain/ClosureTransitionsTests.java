package com.closeout.domain;

import static com.closeout.domain.ClosureStatus.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClosureTransitionsTests {

  /** The expected table, written out independently of the production one. */
  private static final Map<ClosureStatus, Set<ClosureStatus>> CLOSURE_MOVES =
      Map.of(
          PENDING, EnumSet.of(RUNNING),
          RUNNING, EnumSet.of(PENDING, FOLLOW_UP, COMPLETED, STALE),
          FOLLOW_UP, EnumSet.of(PENDING, DISMISSED, REVERTING),
          COMPLETED, EnumSet.of(REVERTING),
          REVERTING, EnumSet.of(REVERTED, REVERT_CONFLICT, REVERTING),
          REVERT_CONFLICT, EnumSet.of(REVERTING, DISMISSED),
          STALE, EnumSet.noneOf(ClosureStatus.class),
          DISMISSED, EnumSet.noneOf(ClosureStatus.class),
          REVERTED, EnumSet.noneOf(ClosureStatus.class));

  private static final Map<StepStatus, Set<StepStatus>> STEP_MOVES =
      Map.of(
          StepStatus.PENDING, EnumSet.of(StepStatus.DONE, StepStatus.SKIPPED_ALREADY_DONE),
          StepStatus.DONE, EnumSet.of(StepStatus.UNDONE),
          StepStatus.SKIPPED_ALREADY_DONE, EnumSet.noneOf(StepStatus.class),
          StepStatus.UNDONE, EnumSet.noneOf(StepStatus.class));

  static Stream<Arguments> everyClosurePair() {
    return Stream.of(ClosureStatus.values())
        .flatMap(from -> Stream.of(ClosureStatus.values()).map(to -> Arguments.of(from, to)));
  }

  static Stream<Arguments> everyStepPair() {
    return Stream.of(StepStatus.values())
        .flatMap(from -> Stream.of(StepStatus.values()).map(to -> Arguments.of(from, to)));
  }

  @ParameterizedTest(name = "closure {0} -> {1}")
  @MethodSource("everyClosurePair")
  void closureMoveIsAllowedExactlyWhenTheTableListsIt(ClosureStatus from, ClosureStatus to) {
    boolean expected = CLOSURE_MOVES.get(from).contains(to);
    assertThat(ClosureTransitions.allowed(from, to)).isEqualTo(expected);
    if (expected) {
      ClosureTransitions.check(from, to);
    } else {
      assertThatThrownBy(() -> ClosureTransitions.check(from, to))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(from.name())
          .hasMessageContaining(to.name());
    }
  }

  @ParameterizedTest(name = "step {0} -> {1}")
  @MethodSource("everyStepPair")
  void stepMoveIsAllowedExactlyWhenTheTableListsIt(StepStatus from, StepStatus to) {
    boolean expected = STEP_MOVES.get(from).contains(to);
    assertThat(ClosureTransitions.allowed(from, to)).isEqualTo(expected);
    if (!expected) {
      assertThatThrownBy(() -> ClosureTransitions.check(from, to))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void aClosureStartsWaitingForAClaimOrLeasedToTheWorkerOfTheIntakeThatStartedIt() {
    assertThat(EnumSet.allOf(ClosureStatus.class))
        .filteredOn(ClosureTransitions::startsIn)
        .containsExactlyInAnyOrder(ClosureStatus.PENDING, ClosureStatus.RUNNING);
  }

  @Test
  void terminalStatusesHaveNoWayOut() {
    for (ClosureStatus status : ClosureStatus.values()) {
      boolean anyMove =
          Stream.of(ClosureStatus.values()).anyMatch(to -> ClosureTransitions.allowed(status, to));
      assertThat(anyMove).as(status.name()).isEqualTo(!status.isTerminal());
    }
  }

  @Test
  void onlyRunningAndRevertingHoldALease() {
    assertThat(Stream.of(ClosureStatus.values()).filter(ClosureStatus::isLeased))
        .containsExactlyInAnyOrder(RUNNING, REVERTING);
  }

  @Test
  void aCompletedClosureCanOnlyBeRevertedNeverReRun() {
    assertThat(ClosureTransitions.allowed(COMPLETED, PENDING)).isFalse();
    assertThat(ClosureTransitions.allowed(COMPLETED, RUNNING)).isFalse();
  }
}
