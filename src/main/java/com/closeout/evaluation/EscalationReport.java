package com.closeout.evaluation;

import com.closeout.domain.ArchiveRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What became of one escalation in a scenario run (SPEC §7.2 {@code escalations}). */
public record EscalationReport(
    String outcome,
    List<String> reasons,
    TargetState tracker,
    TargetState ledger,
    QueueState queue,
    int notifications,
    Map<String, Integer> writes) {
  public EscalationReport {
    reasons = List.copyOf(reasons);
    writes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(writes));
  }

  /** A tracker or ledger record as the report shows it; {@code null} in the report when absent. */
  public record TargetState(
      String status, Integer dispositionVersion, Instant closedAt, List<ArchiveRef> archiveRefs) {
    public TargetState {
      archiveRefs = List.copyOf(archiveRefs);
    }
  }

  public record QueueState(String status, Instant closedAt) {}
}
