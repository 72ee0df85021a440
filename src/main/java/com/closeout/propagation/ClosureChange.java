package com.closeout.propagation;

import com.closeout.domain.ClosureStatus;
import java.time.Instant;

/**
 * A guarded change of one closure row: applied only if the row still has the status and revision
 * the caller read. Fields left null keep their value, except the lease, which {@code clearLease}
 * drops.
 */
public record ClosureChange(
    ClosureStatus status,
    Integer attempts,
    Integer sourceBehindReads,
    Instant nextAttemptAt,
    boolean clearLease,
    String lastError,
    Instant at) {

  public static ClosureChange to(ClosureStatus status, Instant at) {
    return new ClosureChange(status, null, null, null, true, null, at);
  }

  public ClosureChange withAttempts(int value) {
    return new ClosureChange(
        status, value, sourceBehindReads, nextAttemptAt, clearLease, lastError, at);
  }

  public ClosureChange withSourceBehindReads(int value) {
    return new ClosureChange(status, attempts, value, nextAttemptAt, clearLease, lastError, at);
  }

  public ClosureChange dueAt(Instant value) {
    return new ClosureChange(status, attempts, sourceBehindReads, value, clearLease, lastError, at);
  }

  public ClosureChange withLastError(String value) {
    return new ClosureChange(
        status, attempts, sourceBehindReads, nextAttemptAt, clearLease, value, at);
  }
}
