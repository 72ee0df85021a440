package com.closeout.targets;

import com.closeout.domain.TargetSystem;

/**
 * A target did not answer. With {@code outcomeUnknown} the request may have been applied (a
 * timeout); the retry carries the same idempotency key, so it is safe either way.
 */
public class TargetUnavailableException extends RuntimeException {
  private final TargetSystem system;
  private final boolean outcomeUnknown;

  public TargetUnavailableException(TargetSystem system, String message, boolean outcomeUnknown) {
    super(system.wireName() + ": " + message);
    this.system = system;
    this.outcomeUnknown = outcomeUnknown;
  }

  public TargetSystem system() {
    return system;
  }

  public boolean outcomeUnknown() {
    return outcomeUnknown;
  }
}
