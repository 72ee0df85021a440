package com.closeout.audit;

/** What an audit entry records (SPEC §6). */
public enum AuditAction {
  RECEIVED,
  VERIFIED,
  STEP_DONE,
  STEP_SKIPPED,
  FOLLOW_UP,
  FOLLOW_UP_RESOLVED,
  DUPLICATE,
  STALE,
  IGNORED,
  REJECTED,
  RETRY_SCHEDULED,
  COMPLETED,
  STEP_REVERTED,
  REVERTED,
  DRIFT_DETECTED,
  RECONCILED,
  /** A chat notice whose post's outcome is unknown and that is not posted again. */
  NOTICE_UNCONFIRMED
}
