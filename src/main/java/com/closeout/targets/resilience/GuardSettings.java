package com.closeout.targets.resilience;

import java.time.Duration;

/**
 * One target's circuit breaker and rate limiter settings.
 *
 * @param failureRateThreshold percentage of failed calls in the window that opens the breaker
 * @param slidingWindowSize the number of most recent calls the failure rate is computed over
 * @param minimumNumberOfCalls calls needed in the window before the rate is judged at all
 * @param waitInOpenState how long an open breaker refuses calls before letting a few through
 * @param permittedCallsInHalfOpenState trial calls that decide whether the breaker closes again
 * @param limitForPeriod calls allowed per refresh period
 * @param limitRefreshPeriod the rate limiter's period
 * @param limitTimeout how long a call may wait for a permission before it is refused
 */
public record GuardSettings(
    float failureRateThreshold,
    int slidingWindowSize,
    int minimumNumberOfCalls,
    Duration waitInOpenState,
    int permittedCallsInHalfOpenState,
    int limitForPeriod,
    Duration limitRefreshPeriod,
    Duration limitTimeout) {

  public GuardSettings {
    if (failureRateThreshold <= 0 || failureRateThreshold > 100) {
      throw new IllegalArgumentException("failure-rate-threshold must be in (0, 100]");
    }
    if (slidingWindowSize < 1 || minimumNumberOfCalls < 1 || permittedCallsInHalfOpenState < 1) {
      throw new IllegalArgumentException("breaker window and call counts must be at least 1");
    }
    if (limitForPeriod < 1) {
      throw new IllegalArgumentException("limit-for-period must be at least 1");
    }
    if (!positive(waitInOpenState) || !positive(limitRefreshPeriod)) {
      throw new IllegalArgumentException("breaker and limiter periods must be positive");
    }
    if (limitTimeout == null || limitTimeout.isNegative()) {
      throw new IllegalArgumentException("limit timeout must not be negative");
    }
  }

  /**
   * A breaker that opens when half of the last 20 calls (at least 10) failed and stays open 30 s;
   * 50 calls per 100 ms, waiting up to 2 s for a permission.
   */
  public static GuardSettings defaults() {
    return new GuardSettings(
        50f, 20, 10, Duration.ofSeconds(30), 3, 50, Duration.ofMillis(100), Duration.ofSeconds(2));
  }

  private static boolean positive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }
}
