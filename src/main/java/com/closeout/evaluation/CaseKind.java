package com.closeout.evaluation;

import com.closeout.domain.FollowUpReason;
import java.util.Optional;

/**
 * The ground truth of one generated case: what the campaign planted, and what Closeout must make of
 * it. A case either should propagate (its closure must end COMPLETED, exactly once) or must not
 * (nothing may be written for it), and an anomaly names how it must be caught.
 */
public enum CaseKind {
  CLEAN(true, null, null),
  /** Clean, plus transient faults on its targets while it runs. */
  CLEAN_WITH_FAULT(true, null, null),
  /** Clean, but its event is delivered only after later cases have run. */
  LATE_DELIVERY(true, null, null),
  DUPLICATE_DELIVERY(true, null, "DUPLICATE"),
  REEMISSION_NEW_ID(true, null, "DUPLICATE"),
  /** An old version's event arrives after the newer version completed. */
  STALE_VERSION(true, null, "STALE"),
  /**
   * A later version's event is delivered before the earlier one's: the later closure completes and
   * the earlier one writes nothing (STALE, or DISPOSITION_SUPERSEDED while the later one runs).
   */
  REORDERED(true, null, null),
  OUT_OF_SCOPE_REQUEST(true, FollowUpReason.OUT_OF_SCOPE_REQUEST, null),
  NON_FINALIZED_TYPE(false, null, "IGNORED"),
  SUPERSEDED(false, FollowUpReason.DISPOSITION_SUPERSEDED, null),
  REOPENED(false, FollowUpReason.REOPENED, null),
  NOT_FINAL(false, FollowUpReason.NOT_FINAL, null),
  DISPOSITION_CHANGED(false, FollowUpReason.DISPOSITION_CHANGED, null),
  SOURCE_MISSING(false, FollowUpReason.SOURCE_RECORD_MISSING, null),
  EVENT_EPISODE_MISMATCH(false, FollowUpReason.EPISODE_MISMATCH, null),
  TRACKER_EPISODE_MISMATCH(false, FollowUpReason.EPISODE_MISMATCH, null),
  MAPPING_MISSING(false, FollowUpReason.MAPPING_MISSING, null),
  ARCHIVE_DIGEST_MISMATCH(false, FollowUpReason.ARCHIVE_MISMATCH, null),
  /** Finalized at the source, but the event never arrives: reconciliation must report it. */
  LOST_EVENT(false, null, null),
  /**
   * The record is reopened at the source while the closure waits for a retry delay: nothing may be
   * written for the escalation after the change, and the closure must stop with REOPENED.
   */
  REOPENED_MID_FLIGHT(false, FollowUpReason.REOPENED, null),
  /** As {@link #REOPENED_MID_FLIGHT}, but a newer version is finalized during the wait. */
  SUPERSEDED_MID_FLIGHT(false, FollowUpReason.DISPOSITION_SUPERSEDED, null);

  private final boolean propagates;
  private final FollowUpReason expectedFollowUp;
  private final String expectedEventOutcome;

  CaseKind(boolean propagates, FollowUpReason expectedFollowUp, String expectedEventOutcome) {
    this.propagates = propagates;
    this.expectedFollowUp = expectedFollowUp;
    this.expectedEventOutcome = expectedEventOutcome;
  }

  /** Whether the case's closure must complete (for STALE: the newer version's). */
  public boolean propagates() {
    return propagates;
  }

  public boolean isAnomaly() {
    return this != CLEAN && this != CLEAN_WITH_FAULT && this != LATE_DELIVERY;
  }

  /** Changes the source record while its closure waits for a retry (see {@link #midFlight}). */
  public boolean midFlight() {
    return this == REOPENED_MID_FLIGHT || this == SUPERSEDED_MID_FLIGHT;
  }

  /** Only planned by the chaos profile: delivery disorder and mid-flight changes. */
  public boolean chaosOnly() {
    return this == LATE_DELIVERY || this == REORDERED || midFlight();
  }

  /** Caught by reconciliation (drift) rather than by a follow-up or an event outcome. */
  public boolean caughtByReconciliation() {
    return this == LOST_EVENT;
  }

  public Optional<FollowUpReason> expectedFollowUp() {
    return Optional.ofNullable(expectedFollowUp);
  }

  /** The outcome the anomalous delivery must get, e.g. DUPLICATE for the second delivery. */
  public Optional<String> expectedEventOutcome() {
    return Optional.ofNullable(expectedEventOutcome);
  }
}
