package com.closeout.propagation;

import com.closeout.domain.StepResult;
import com.closeout.domain.TargetSnapshot;
import com.closeout.domain.TargetSystem;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.BookkeepingTarget;
import com.closeout.targets.CoordinatorNotice;
import com.closeout.targets.QueueItem;
import com.closeout.targets.ReviewState;
import java.util.List;

/**
 * What one step must do, decided from a fresh read of its targets. A {@link Write} carries the
 * prior values that must be durable before the write is sent, and what was read, so the write needs
 * no second read.
 */
sealed interface StepPlan {

  /** Nothing to write: already done, or a conflict, or the target did not answer. */
  record Settled(StepResult result) implements StepPlan {}

  sealed interface Write extends StepPlan {
    List<TargetSnapshot> prior();
  }

  record ReviewStateWrite(
      BookkeepingTarget target, TargetSystem system, BookkeepingRecord current, ReviewState desired)
      implements Write {
    @Override
    public List<TargetSnapshot> prior() {
      return List.of(StepExecutor.snapshot(system, current));
    }
  }

  record LinkWrite(BookkeepingRecord tracker, BookkeepingRecord ledger) implements Write {
    @Override
    public List<TargetSnapshot> prior() {
      return List.of(
          StepExecutor.snapshot(TargetSystem.TRACKER, tracker),
          StepExecutor.snapshot(TargetSystem.LEDGER, ledger));
    }
  }

  record QueueWrite(QueueItem item) implements Write {
    @Override
    public List<TargetSnapshot> prior() {
      return List.of(StepExecutor.snapshot(item));
    }
  }

  /** The notice has no prior state: the channel cannot be read, its key suppresses repeats. */
  record NoticeWrite(CoordinatorNotice notice) implements Write {
    @Override
    public List<TargetSnapshot> prior() {
      return List.of();
    }
  }
}
