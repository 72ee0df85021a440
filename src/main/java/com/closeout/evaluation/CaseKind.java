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
  /** Clean, plus a transient fault on one target while it runs. */
  CLEAN_WITH_FAULT(true, null, null),
  DUPLICATE_DELIVERY(true, null, "DUPLICATE"),
  REEMISSION_NEW_ID(true, null, "DUPLICATE"),
  /** An old version's event arrives after the newer version completed. */
  STALE_VERSION(true, null, "STALE"),
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
  ARCHIVE_DIGEST_MISMATCH(false, FollowUpReason.ARCHIVE_MISMATCH, null);

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
    return this != CLEAN && this != CLEAN_WITH_FAULT;
  }

  public Optional<FollowUpReason> expectedFollowUp() {
    return Optional.ofNullable(expectedFollowUp);
  }

  /** The outcome the anomalous delivery must get, e.g. DUPLICATE for the second delivery. */
  public Optional<String> expectedEventOutcome() {
    return Optional.ofNullable(expectedEventOutcome);
  }
}
