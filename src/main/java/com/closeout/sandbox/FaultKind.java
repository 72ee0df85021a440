package com.closeout.sandbox;

/** The faults a scenario can inject into one sandbox system (SPEC §7.1). */
public enum FaultKind {
  /** The next calls, reads and writes, are refused; nothing is applied. */
  UNAVAILABLE,
  /** The next writes are applied but their answers are lost: the caller sees a timeout. */
  TIMEOUT,
  /**
   * Just before each of the next writes someone else edits an unrelated field of the record: its
   * revision moves, its status does not, so the conditional write is refused.
   */
  CONFLICT;

  /** Parses a scenario's {@code kind}; an unknown kind is an error, never ignored. */
  public static FaultKind fromName(String name) {
    for (FaultKind kind : values()) {
      if (kind.name().equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown fault kind: " + name + " (expected UNAVAILABLE, TIMEOUT or CONFLICT)");
  }
}
