package com.closeout.domain;

/** Durable progress of one step of one closure. */
public enum StepStatus {
  PENDING,
  DONE,
  SKIPPED_ALREADY_DONE,
  /** Reverted: the target holds its prior values again. */
  UNDONE;

  public boolean isFinished() {
    return this == DONE || this == SKIPPED_ALREADY_DONE;
  }
}
