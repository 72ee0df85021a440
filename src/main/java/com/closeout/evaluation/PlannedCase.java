package com.closeout.evaluation;

import com.closeout.domain.EscalationId;
import java.time.Instant;
import java.util.List;

/**
 * One generated escalation and its ground truth.
 *
 * @param version the version whose closure must complete, or must write nothing
 * @param anomalousEventId the delivery that must be caught (duplicate, stale, ignored, reordered)
 * @param faults faults armed on this escalation's calls when the case is set up
 * @param lateBy how many later cases run before its late delivery arrives (0: on time); for a
 *     late-delivery case its only event, for a duplicate or re-emission the second copy
 * @param redeliverAfter chaos: its first event is delivered once more this many cases later (0: not
 *     redelivered)
 */
public record PlannedCase(
    int index,
    EscalationId escalationId,
    CaseKind kind,
    int version,
    Instant finalizedAt,
    String anomalousEventId,
    List<PlannedFault> faults,
    int lateBy,
    int redeliverAfter) {

  public PlannedCase {
    faults = List.copyOf(faults);
  }

  public boolean faulted() {
    return !faults.isEmpty();
  }
}
