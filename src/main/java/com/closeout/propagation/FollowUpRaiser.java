package com.closeout.propagation;

import com.closeout.audit.AuditAction;
import com.closeout.domain.FollowUpReason;
import com.closeout.domain.TargetSystem;
import com.closeout.followup.FollowUp;
import com.closeout.followup.FollowUpStatus;
import com.closeout.followup.FollowUpStore;
import com.closeout.followup.NewFollowUp;
import java.time.Clock;
import java.util.Optional;

/** Opens a durable follow-up for a closure and audits it, in the caller's transaction. */
final class FollowUpRaiser {
  private final FollowUpStore followUps;
  private final ClosureAuditor auditor;
  private final Clock clock;

  FollowUpRaiser(FollowUpStore followUps, ClosureAuditor auditor, Clock clock) {
    this.followUps = followUps;
    this.auditor = auditor;
    this.clock = clock;
  }

  /** At most one open follow-up per closure and reason; the existing one when already open. */
  Optional<FollowUp> raise(
      Closure closure,
      FollowUpReason reason,
      TargetSystem system,
      Integer recordVersion,
      String detail) {
    Optional<FollowUp> opened =
        followUps.openIfAbsent(
            new NewFollowUp(
                closure.id(),
                closure.key().escalationId().value(),
                closure.eventId().value(),
                reason,
                system,
                closure.key().dispositionVersion(),
                recordVersion,
                detail,
                clock.instant()));
    if (opened.isPresent()) {
      String text = reason.name() + (detail == null ? "" : ": " + detail);
      auditor.append(
          ClosureAuditor.record(closure, AuditAction.FOLLOW_UP).target(system, null).detail(text));
      return opened;
    }
    return followUps.forClosure(closure.id()).stream()
        .filter(f -> f.reason() == reason && f.status() == FollowUpStatus.OPEN)
        .findFirst();
  }
}
