package com.closeout.domain;

/** Status of an escalation record at the review system (SPEC §3). */
public enum SourceStatus {
  IN_REVIEW,
  FINAL,
  REOPENED
}
