package com.closeout.propagation;

import com.closeout.audit.AuditAction;
import com.closeout.domain.ClosureStatus;
import com.closeout.followup.FollowUp;
import com.closeout.followup.FollowUpStatus;
import com.closeout.followup.FollowUpStore;
import com.closeout.followup.Resolution;
import com.closeout.followup.ResolutionOutcome;
import java.time.Clock;
import java.util.Optional;

/**
 * A person's answer to a follow-up. Retry sends a stopped closure back to the worker, which
 * re-verifies from scratch; dismiss ends it. A revert conflict is retried by running the revert
 * again once the follow-up is resolved.
 */
final class FollowUpResolver {
  private final FollowUpStore followUps;
  private final ClosureStore closures;
  private final TransactionRunner transactions;
  private final ClosureAuditor auditor;
  private final Clock clock;

  FollowUpResolver(
      FollowUpStore followUps,
      ClosureStore closures,
      TransactionRunner transactions,
      ClosureAuditor auditor,
      Clock clock) {
    this.followUps = followUps;
    this.closures = closures;
    this.transactions = transactions;
    this.auditor = auditor;
    this.clock = clock;
  }

  ResolutionOutcome resolve(long followUpId, Resolution resolution, String comment) {
    if (comment == null || comment.isBlank()) {
      return new ResolutionOutcome.Refused("a comment is required");
    }
    Optional<FollowUp> found = followUps.find(followUpId);
    if (found.isEmpty()) {
      return new ResolutionOutcome.Refused("no follow-up " + followUpId);
    }
    FollowUp followUp = found.get();
    if (followUp.status() != FollowUpStatus.OPEN) {
      return new ResolutionOutcome.Refused(
          "follow-up " + followUpId + " is already " + followUp.status());
    }
    Closure closure =
        closures
            .find(followUp.closureId())
            .orElseThrow(() -> new IllegalStateException("follow-up without closure"));
    return transactions.inTransaction(
        () -> {
          FollowUpStatus to =
              resolution == Resolution.RETRY ? FollowUpStatus.RETRIED : FollowUpStatus.DISMISSED;
          FollowUp resolved = followUps.resolve(followUp, to, comment, clock.instant());
          ClosureStatus status = closure.status();
          if (followUp.reason().blocksClosure()) {
            status = moveClosure(closure, resolution);
          }
          auditor.append(
              ClosureAuditor.record(closure, AuditAction.FOLLOW_UP_RESOLVED)
                  .target(followUp.system(), null)
                  .detail(followUp.reason() + " " + to + " (follow-up " + followUpId + ")"));
          return new ResolutionOutcome.Resolved(resolved, status);
        });
  }

  private ClosureStatus moveClosure(Closure closure, Resolution resolution) {
    ClosureStatus from = closure.status();
    if (from != ClosureStatus.FOLLOW_UP && from != ClosureStatus.REVERT_CONFLICT) {
      return from;
    }
    if (resolution == Resolution.DISMISS) {
      return closures
          .change(closure, ClosureChange.to(ClosureStatus.DISMISSED, clock.instant()))
          .status();
    }
    if (from == ClosureStatus.REVERT_CONFLICT) {
      // The operator runs the revert again; it resumes where it stopped.
      return from;
    }
    return closures
        .change(
            closure,
            ClosureChange.to(ClosureStatus.PENDING, clock.instant())
                .withAttempts(0)
                .withSourceBehindReads(0)
                .dueAt(clock.instant()))
        .status();
  }
}
