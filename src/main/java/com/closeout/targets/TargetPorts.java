package com.closeout.targets;

import java.util.Objects;

/** The six external systems Closeout talks to, one port each (SPEC §1). */
public record TargetPorts(
    ReviewSystem review,
    EscalationTracker tracker,
    CaseLedger ledger,
    PostReviewQueue queue,
    EvidenceArchive archive,
    CoordinatorChannel coordinator) {
  public TargetPorts {
    Objects.requireNonNull(review, "review");
    Objects.requireNonNull(tracker, "tracker");
    Objects.requireNonNull(ledger, "ledger");
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(coordinator, "coordinator");
  }
}
