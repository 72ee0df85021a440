package com.closeout.targets;

import com.closeout.domain.TargetSystem;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A target did not answer. With {@code outcomeUnknown} the request may have been applied (a
 * timeout); the retry carries the same idempotency key, so it is safe either way. With {@code
 * retryAfter} the target said how long to wait at least (HTTP {@code Retry-After}, an open circuit
 * breaker): a retry sooner would be refused again.
 */
public class TargetUnavailableException extends RuntimeException {
  private final TargetSystem system;
  private final boolean outcomeUnknown;
  private final Duration retryAfter;

  public TargetUnavailableException(TargetSystem system, String message, boolean outcomeUnknown) {
    this(system, message, outcomeUnknown, null);
  }

  /**
   * @param retryAfter the least delay before a retry, or {@code null} when the target named none
   */
  public TargetUnavailableException(
      TargetSystem system, String message, boolean outcomeUnknown, Duration retryAfter) {
    super(system.wireName() + ": " + message);
    this.system = Objects.requireNonNull(system, "system");
    this.outcomeUnknown = outcomeUnknown;
    if (retryAfter != null && retryAfter.isNegative()) {
      retryAfter = Duration.ZERO;
    }
    this.retryAfter = retryAfter;
  }

  public TargetSystem system() {
    return system;
  }

  public boolean outcomeUnknown() {
    return outcomeUnknown;
  }

  /** The least delay the target asked for before the next call, when it named one. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
