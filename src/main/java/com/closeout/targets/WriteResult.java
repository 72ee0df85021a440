package com.closeout.targets;

/** What a conditional, idempotent write to a target did. */
public enum WriteResult {
  /** The write changed the target. */
  APPLIED,
  /** The target had already applied a write with this idempotency key; nothing changed now. */
  REPLAYED,
  /** The record's revision moved since it was read; nothing changed. Re-read and decide again. */
  REVISION_CONFLICT,
  /** The record is gone. */
  NOT_FOUND
}
