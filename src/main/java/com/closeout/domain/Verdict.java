package com.closeout.domain;

import java.time.Duration;
import java.util.List;

/** The outcome of verification (SPEC §4): a business rejection is a value, not an exception. */
public sealed interface Verdict {

  /** Every check passed; out-of-scope requests, if any, are listed for one follow-up. */
  record Proceed(SourceRecord record, List<String> outOfScopeRequests) implements Verdict {
    public Proceed {
      outOfScopeRequests = List.copyOf(outOfScopeRequests);
    }
  }

  /** A check failed; the closure stops until a person resolves the follow-up. */
  record FollowUp(FollowUpReason reason, TargetSystem system, Integer recordVersion, String detail)
      implements Verdict {}

  /** The record is newer and that newer version's closure has already completed. */
  record Stale(int completedVersion) implements Verdict {}

  /**
   * Could not decide now: a system was unavailable, or the source is behind the event (replication
   * lag). {@code whenExhausted} is the follow-up once the retry budget is spent.
   */
  record RetryLater(
      FollowUpReason whenExhausted, TargetSystem system, String detail, Duration retryAfter)
      implements Verdict {
    public RetryLater(FollowUpReason whenExhausted, TargetSystem system, String detail) {
      this(whenExhausted, system, detail, null);
    }
  }
}
