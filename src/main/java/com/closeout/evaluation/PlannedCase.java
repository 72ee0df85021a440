package com.closeout.evaluation;

import com.closeout.domain.EscalationId;
import com.closeout.domain.TargetSystem;
import com.closeout.sandbox.FaultKind;
import java.time.Instant;

/**
 * One generated escalation and its ground truth.
 *
 * @param version the version whose closure must complete, or must write nothing
 * @param anomalousEventId the delivery that must be caught (duplicate, stale, ignored), if any
 * @param faultSystem the target given a transient fault while the case runs, if any
 */
public record PlannedCase(
    int index,
    EscalationId escalationId,
    CaseKind kind,
    int version,
    Instant finalizedAt,
    String anomalousEventId,
    TargetSystem faultSystem,
    FaultKind faultKind,
    int faultCount) {

  public boolean faulted() {
    return faultSystem != null;
  }
}
