package com.closeout.domain;

/** Why a closure needs a person (SPEC §4, §5). */
public enum FollowUpReason {
  SOURCE_RECORD_MISSING,
  NOT_FINAL,
  REOPENED,
  DISPOSITION_CHANGED,
  DISPOSITION_SUPERSEDED,
  SOURCE_BEHIND,
  EPISODE_MISMATCH,
  ARCHIVE_MISMATCH,
  MAPPING_MISSING,
  OUT_OF_SCOPE_REQUEST,
  TARGET_CONFLICT,
  RETRIES_EXHAUSTED;

  /** Only an out-of-scope request lets the closure go on while the follow-up is open. */
  public boolean blocksClosure() {
    return this != OUT_OF_SCOPE_REQUEST;
  }
}
