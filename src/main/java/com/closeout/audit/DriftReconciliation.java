package com.closeout.audit;

import com.closeout.domain.ClosureKey;
import com.closeout.domain.ClosureStatus;
import com.closeout.domain.DispositionEvent;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.TargetSystem;
import com.closeout.propagation.Closure;
import com.closeout.propagation.ClosureStore;
import com.closeout.propagation.TransactionRunner;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.QueueItem;
import com.closeout.targets.ReviewState;
import com.closeout.targets.ReviewSystem.FinalizedCursor;
import com.closeout.targets.TargetPorts;
import com.closeout.targets.TargetUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The periodic reconciliation of SPEC §6: compares the review system's finalized, closure-approved
 * records with the targets and reports drift — closed at the source, open downstream — which is how
 * a lost event shows. It only reads and reports (and audits what it found); it never starts a
 * closure on its own, since a person should see why the event went missing.
 */
public final class DriftReconciliation {
  private static final int PAGE = 200;

  private final TargetPorts targets;
  private final ClosureStore closures;
  private final AuditTrail audit;
  private final TransactionRunner transactions;
  private final Clock clock;

  public DriftReconciliation(
      TargetPorts targets,
      ClosureStore closures,
      AuditTrail audit,
      TransactionRunner transactions,
      Clock clock) {
    this.targets = targets;
    this.closures = closures;
    this.audit = audit;
    this.transactions = transactions;
    this.clock = clock;
  }

  /** Checks every record finalized at or after {@code since}. */
  public DriftReport reconcile(Instant since) {
    List<Drift> drift = new ArrayList<>();
    List<String> unreachable = new ArrayList<>();
    int checked = 0;
    FinalizedCursor cursor = FinalizedCursor.from(since.minusNanos(1));
    while (true) {
      List<SourceRecord> page;
      try {
        page = targets.review().finalizedAfter(cursor, PAGE);
      } catch (TargetUnavailableException e) {
        unreachable.add("review system");
        break;
      }
      for (SourceRecord record : page) {
        cursor = FinalizedCursor.after(record);
        if (!DispositionEvent.CLOSURE_APPROVED.equals(record.disposition())) {
          continue;
        }
        checked++;
        try {
          check(record).ifPresent(drift::add);
        } catch (TargetUnavailableException e) {
          unreachable.add(record.escalationId().value());
        }
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    DriftReport report = new DriftReport(clock.instant(), checked, drift, unreachable);
    transactions.inTransaction(
        () -> {
          for (Drift found : report.drift()) {
            audit.append(
                AuditRecord.of(
                        null,
                        found.escalationId(),
                        found.dispositionVersion(),
                        AuditAction.DRIFT_DETECTED)
                    .detail(
                        found.kind()
                            + " open in "
                            + found.openDownstream()
                            + "; closure "
                            + found.closureStatus()));
          }
          audit.append(
              AuditRecord.of(null, null, null, AuditAction.RECONCILED)
                  .detail(
                      report.recordsChecked()
                          + " finalized records checked, "
                          + report.drift().size()
                          + " drifted, "
                          + report.unreachable().size()
                          + " unreachable"));
        });
    return report;
  }

  private Optional<Drift> check(SourceRecord record) {
    int version = record.dispositionVersion();
    ReviewState closed = ReviewState.reviewComplete(version, record.finalizedAt());
    List<TargetSystem> open = new ArrayList<>();
    if (!targets
        .tracker()
        .findByEscalation(record.escalationId())
        .map(BookkeepingRecord::reviewState)
        .filter(closed::equals)
        .isPresent()) {
      open.add(TargetSystem.TRACKER);
    }
    if (!targets
        .ledger()
        .findByEscalation(record.escalationId())
        .map(BookkeepingRecord::reviewState)
        .filter(closed::equals)
        .isPresent()) {
      open.add(TargetSystem.LEDGER);
    }
    if (!targets
        .queue()
        .findByEscalation(record.escalationId())
        .map(QueueItem::status)
        .filter(QueueItem.CLOSED::equals)
        .isPresent()) {
      open.add(TargetSystem.QUEUE);
    }
    if (open.isEmpty()) {
      return Optional.empty();
    }
    Optional<Closure> closure = closures.find(new ClosureKey(record.escalationId(), version));
    if (closure.isEmpty()) {
      return Optional.of(drift(record, Drift.Kind.LOST_EVENT, open, "NONE"));
    }
    ClosureStatus status = closure.get().status();
    return switch (status) {
      // In flight, or deliberately undone by an operator: not drift.
      case PENDING, RUNNING, REVERTING, REVERTED, STALE -> Optional.empty();
      case COMPLETED -> Optional.of(drift(record, Drift.Kind.DIVERGED, open, status.name()));
      case FOLLOW_UP, DISMISSED, REVERT_CONFLICT ->
          Optional.of(drift(record, Drift.Kind.STOPPED, open, status.name()));
    };
  }

  private static Drift drift(
      SourceRecord record, Drift.Kind kind, List<TargetSystem> open, String closureStatus) {
    return new Drift(
        record.escalationId().value(), record.dispositionVersion(), kind, open, closureStatus);
  }
}
