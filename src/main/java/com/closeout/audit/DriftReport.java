package com.closeout.audit;

import java.time.Instant;
import java.util.List;

/** What one reconciliation pass found. {@code unreachable} lists escalations it could not check. */
public record DriftReport(
    Instant checkedAt, int recordsChecked, List<Drift> drift, List<String> unreachable) {
  public DriftReport {
    drift = List.copyOf(drift);
    unreachable = List.copyOf(unreachable);
  }

  public boolean clean() {
    return drift.isEmpty() && unreachable.isEmpty();
  }
}
