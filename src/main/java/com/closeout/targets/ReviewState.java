package com.closeout.targets;

import java.time.Instant;

/** The review-state fields Closeout sets on a tracker or ledger record, or restores on revert. */
public record ReviewState(String status, Integer dispositionVersion, Instant closedAt) {
  public static final String REVIEW_COMPLETE = "REVIEW_COMPLETE";

  public static ReviewState reviewComplete(int dispositionVersion, Instant closedAt) {
    return new ReviewState(REVIEW_COMPLETE, dispositionVersion, closedAt);
  }
}
