package com.closeout.propagation;

import com.closeout.audit.AuditAction;
import com.closeout.domain.ClosureKey;
import com.closeout.domain.ClosureStatus;
import com.closeout.domain.FollowUpReason;
import com.closeout.domain.IdempotencyKey;
import com.closeout.domain.Step;
import com.closeout.domain.StepStatus;
import com.closeout.domain.TargetSnapshot;
import com.closeout.domain.TargetSystem;
import com.closeout.followup.FollowUp;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.BookkeepingTarget;
import com.closeout.targets.CoordinatorNotice;
import com.closeout.targets.QueueItem;
import com.closeout.targets.ReviewState;
import com.closeout.targets.TargetPorts;
import com.closeout.targets.TargetUnavailableException;
import com.closeout.targets.WriteResult;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An operator's revert (SPEC §5): the steps Closeout wrote are undone in reverse order, each only
 * if the target still holds what Closeout wrote, from the prior values recorded before the write.
 * The coordinator is told, and every undo is audited. A revert that stopped (a target down or
 * changed) resumes where it stopped when run again.
 */
final class RevertService {
  private static final int REREADS = 5;

  private final TargetPorts targets;
  private final ClosureStore closures;
  private final TransactionRunner transactions;
  private final ClosureAuditor auditor;
  private final FollowUpRaiser raiser;
  private final EngineSettings settings;
  private final Clock clock;
  private final String workerId;

  RevertService(
      TargetPorts targets,
      ClosureStore closures,
      TransactionRunner transactions,
      ClosureAuditor auditor,
      FollowUpRaiser raiser,
      EngineSettings settings,
      Clock clock,
      String workerId) {
    this.targets = targets;
    this.closures = closures;
    this.transactions = transactions;
    this.auditor = auditor;
    this.raiser = raiser;
    this.settings = settings;
    this.clock = clock;
    this.workerId = workerId;
  }

  private sealed interface Undo {
    record Done() implements Undo {}

    record Conflict(TargetSystem system, String recordId, String detail) implements Undo {}

    record Unavailable(TargetSystem system) implements Undo {}
  }

  RevertOutcome revert(ClosureKey key) {
    Optional<Closure> found = closures.find(key);
    if (found.isEmpty()) {
      return new RevertOutcome.Refused("no closure for " + key);
    }
    Closure closure = found.get();
    Instant now = clock.instant();
    switch (closure.status()) {
      case COMPLETED, FOLLOW_UP, REVERT_CONFLICT -> {}
      case REVERTING -> {
        if (closure.leaseUntil() != null && closure.leaseUntil().isAfter(now)) {
          return new RevertOutcome.Refused(key + " is being reverted by " + closure.leaseOwner());
        }
      }
      default -> {
        return new RevertOutcome.Refused(key + " is " + closure.status() + "; not revertible");
      }
    }
    Optional<Closure> claimed =
        closures.claim(closure, ClosureStatus.REVERTING, workerId, now.plus(settings.lease()));
    if (claimed.isEmpty()) {
      return new RevertOutcome.Refused(
          key + " is busy: another closure of this escalation is running");
    }
    Closure reverting = claimed.get();
    List<StepProgress> steps = new ArrayList<>(closures.steps(reverting.id()));
    Collections.reverse(steps);
    List<Step> undone = new ArrayList<>();
    for (StepProgress step : steps) {
      if (step.status() != StepStatus.DONE) {
        continue;
      }
      Undo result = undo(reverting, step);
      if (result instanceof Undo.Done) {
        transactions.inTransaction(
            () -> {
              closures.finishStep(step, StepStatus.UNDONE, step.written(), clock.instant());
              TargetSnapshot first = step.written().isEmpty() ? null : step.written().get(0);
              auditor.append(
                  ClosureAuditor.record(reverting, AuditAction.STEP_REVERTED)
                      .target(
                          first == null ? null : first.system(),
                          first == null ? null : first.recordId())
                      .detail(step.step().name()));
            });
        undone.add(step.step());
      } else if (result instanceof Undo.Conflict conflict) {
        FollowUp followUp =
            transactions.inTransaction(
                () -> {
                  // The closure row first, as everywhere.
                  closures.change(
                      reverting, ClosureChange.to(ClosureStatus.REVERT_CONFLICT, clock.instant()));
                  Optional<FollowUp> raised =
                      raiser.raise(
                          reverting,
                          FollowUpReason.TARGET_CONFLICT,
                          conflict.system(),
                          null,
                          "revert of "
                              + step.step()
                              + " on "
                              + conflict.recordId()
                              + ": "
                              + conflict.detail());
                  return raised.orElse(null);
                });
        return new RevertOutcome.Conflict(
            key, step.step(), conflict.system(), followUp == null ? -1 : followUp.id());
      } else if (result instanceof Undo.Unavailable unavailable) {
        closures.change(reverting, ClosureChange.to(ClosureStatus.REVERTING, clock.instant()));
        return new RevertOutcome.Unavailable(key, step.step(), unavailable.system());
      }
    }
    try {
      WriteResult told =
          targets
              .coordinator()
              .post(
                  new CoordinatorNotice(
                      CoordinatorNotice.Kind.CLOSURE_REVERTED,
                      key.escalationId(),
                      key.dispositionVersion(),
                      List.of(TargetSystem.TRACKER, TargetSystem.LEDGER, TargetSystem.QUEUE)),
                  key.keyFor(Step.COORDINATOR_NOTIFY).qualified("revert"));
      if (told != WriteResult.APPLIED && told != WriteResult.REPLAYED) {
        throw new TargetUnavailableException(TargetSystem.NOTIFICATION, "refused", false);
      }
    } catch (TargetUnavailableException e) {
      closures.change(reverting, ClosureChange.to(ClosureStatus.REVERTING, clock.instant()));
      return new RevertOutcome.Unavailable(key, Step.COORDINATOR_NOTIFY, TargetSystem.NOTIFICATION);
    }
    transactions.inTransaction(
        () -> {
          closures.change(reverting, ClosureChange.to(ClosureStatus.REVERTED, clock.instant()));
          auditor.append(
              ClosureAuditor.record(reverting, AuditAction.REVERTED)
                  .target(TargetSystem.NOTIFICATION, targets.coordinator().name())
                  .notified(targets.coordinator().name())
                  .detail("undone: " + undone));
        });
    return new RevertOutcome.Reverted(key, undone);
  }

  private Undo undo(Closure closure, StepProgress step) {
    IdempotencyKey key = closure.key().keyFor(step.step()).qualified("revert");
    try {
      return switch (step.step()) {
        case TRACKER_SYNC ->
            undoReviewState(targets.tracker(), TargetSystem.TRACKER, closure, step, key);
        case LEDGER_SYNC ->
            undoReviewState(targets.ledger(), TargetSystem.LEDGER, closure, step, key);
        case ARCHIVE_LINK -> undoLinks(closure, step, key);
        case QUEUE_CLOSE -> undoQueueClose(closure, step, key);
        // The notice cannot be unsent and the completion record is append-only: the revert
        // notice and the REVERTED audit entry supersede them.
        case COMPLETION_RECORD, COORDINATOR_NOTIFY -> new Undo.Done();
      };
    } catch (TargetUnavailableException e) {
      return new Undo.Unavailable(e.system());
    }
  }

  private Undo undoReviewState(
      BookkeepingTarget target,
      TargetSystem system,
      Closure closure,
      StepProgress step,
      IdempotencyKey key) {
    TargetSnapshot prior = only(step.prior(), system);
    TargetSnapshot written = only(step.written(), system);
    ReviewState priorState =
        new ReviewState(prior.status(), prior.dispositionVersion(), prior.closedAt());
    ReviewState writtenState =
        new ReviewState(written.status(), written.dispositionVersion(), written.closedAt());
    for (int read = 0; read <= REREADS; read++) {
      Optional<BookkeepingRecord> found = target.findByEscalation(closure.key().escalationId());
      if (found.isEmpty()) {
        return new Undo.Conflict(system, prior.recordId(), "record no longer exists");
      }
      BookkeepingRecord current = found.get();
      if (current.reviewState().equals(priorState)) {
        return new Undo.Done();
      }
      if (!current.reviewState().equals(writtenState)) {
        return new Undo.Conflict(system, current.recordId(), "no longer holds what Closeout wrote");
      }
      WriteResult result =
          target.setReviewState(current.recordId(), priorState, current.revision(), key);
      if (result == WriteResult.APPLIED || result == WriteResult.REPLAYED) {
        return new Undo.Done();
      }
      if (result == WriteResult.NOT_FOUND) {
        return new Undo.Conflict(system, current.recordId(), "record no longer exists");
      }
    }
    return new Undo.Unavailable(system);
  }

  private Undo undoLinks(Closure closure, StepProgress step, IdempotencyKey key) {
    for (var system : List.of(TargetSystem.TRACKER, TargetSystem.LEDGER)) {
      BookkeepingTarget target =
          system == TargetSystem.TRACKER ? targets.tracker() : targets.ledger();
      TargetSnapshot prior = only(step.prior(), system);
      TargetSnapshot written = only(step.written(), system);
      List<String> added =
          written.archiveUris().stream().filter(u -> !prior.archiveUris().contains(u)).toList();
      Undo result = unlink(target, system, closure, added, key);
      if (!(result instanceof Undo.Done)) {
        return result;
      }
    }
    return new Undo.Done();
  }

  private Undo unlink(
      BookkeepingTarget target,
      TargetSystem system,
      Closure closure,
      List<String> added,
      IdempotencyKey key) {
    for (int read = 0; read <= REREADS; read++) {
      Optional<BookkeepingRecord> found = target.findByEscalation(closure.key().escalationId());
      if (found.isEmpty()) {
        return new Undo.Conflict(system, closure.key().escalationId().value(), "record gone");
      }
      BookkeepingRecord current = found.get();
      List<String> present = added.stream().filter(current::hasLink).toList();
      if (present.isEmpty()) {
        return new Undo.Done();
      }
      WriteResult result =
          target.unlinkArchiveRef(
              current.recordId(),
              present.get(0),
              current.revision(),
              key.qualified(system.wireName() + ":" + present.get(0)));
      if (result == WriteResult.NOT_FOUND) {
        return new Undo.Conflict(system, current.recordId(), "record no longer exists");
      }
      if (result == WriteResult.APPLIED || result == WriteResult.REPLAYED) {
        read--; // progress, not a conflict: the next link gets its own read
      }
    }
    return new Undo.Unavailable(system);
  }

  private Undo undoQueueClose(Closure closure, StepProgress step, IdempotencyKey key) {
    TargetSnapshot written = only(step.written(), TargetSystem.QUEUE);
    for (int read = 0; read <= REREADS; read++) {
      Optional<QueueItem> found = targets.queue().findByEscalation(closure.key().escalationId());
      if (found.isEmpty()) {
        return new Undo.Conflict(TargetSystem.QUEUE, written.recordId(), "item no longer exists");
      }
      QueueItem item = found.get();
      if (QueueItem.OPEN.equals(item.status())) {
        return new Undo.Done();
      }
      if (!Objects.equals(item.closedAt(), written.closedAt())) {
        return new Undo.Conflict(
            TargetSystem.QUEUE, item.itemId(), "closed by someone else at another time");
      }
      WriteResult result = targets.queue().restoreOpen(item.itemId(), item.revision(), key);
      if (result == WriteResult.APPLIED || result == WriteResult.REPLAYED) {
        return new Undo.Done();
      }
      if (result == WriteResult.NOT_FOUND) {
        return new Undo.Conflict(TargetSystem.QUEUE, item.itemId(), "item no longer exists");
      }
    }
    return new Undo.Unavailable(TargetSystem.QUEUE);
  }

  private static TargetSnapshot only(List<TargetSnapshot> snapshots, TargetSystem system) {
    return snapshots.stream()
        .filter(s -> s.system() == system)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + system + " snapshot recorded"));
  }
}
