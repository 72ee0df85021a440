package com.closeout.followup;

/** A follow-up is open until a person retries or dismisses it. */
public enum FollowUpStatus {
  OPEN,
  RETRIED,
  DISMISSED
}
