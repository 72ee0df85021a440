package com.closeout.domain;

/** The six propagation steps, in the order they run (SPEC §5). */
public enum Step {
  TRACKER_SYNC(TargetSystem.TRACKER),
  LEDGER_SYNC(TargetSystem.LEDGER),
  ARCHIVE_LINK(null),
  QUEUE_CLOSE(TargetSystem.QUEUE),
  COMPLETION_RECORD(TargetSystem.AUDIT),
  COORDINATOR_NOTIFY(TargetSystem.NOTIFICATION);

  private final TargetSystem target;

  Step(TargetSystem target) {
    this.target = target;
  }

  /** The one system this step writes to; {@code null} for ARCHIVE_LINK, which writes to two. */
  public TargetSystem target() {
    return target;
  }
}
