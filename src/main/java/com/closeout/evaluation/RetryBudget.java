package com.closeout.evaluation;

import com.closeout.propagation.EngineSettings;
import java.time.Duration;

/**
 * How long an outage a closure rides out before RETRIES_EXHAUSTED, computed from the engine's
 * settings at the shortest delays the jitter allows (half of each capped exponential delay). A
 * campaign keeps its outage within this, so every clean case must still complete.
 */
final class RetryBudget {
  private RetryBudget() {}

  /**
   * Failed attempts in a row a closure can suffer while a target is down for {@code outage},
   * counted from a failure at the very start of the outage, at the shortest delays.
   */
  static int failuresWithin(EngineSettings settings, Duration outage) {
    long at = 0;
    int failures = 0;
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      if (at >= outage.toMillis()) {
        return failures;
      }
      failures++;
      at += shortestDelayMillis(settings, attempt);
    }
    return failures;
  }

  /**
   * The longest outage a closure survives when {@code otherFailures} refusals (injected faults) may
   * also land on it without progress in between: the closure stops at the {@code maxAttempts}-th
   * failure in a row.
   */
  static Duration longestOutage(EngineSettings settings, int otherFailures) {
    int allowed = settings.maxAttempts() - 1 - otherFailures;
    if (allowed < 1) {
      return Duration.ZERO;
    }
    long at = 0;
    for (int attempt = 1; attempt < allowed; attempt++) {
      at += shortestDelayMillis(settings, attempt);
    }
    // The allowed-th failure comes at the earliest after `at`; the outage must be over by the next.
    return Duration.ofMillis(at + shortestDelayMillis(settings, allowed));
  }

  private static long shortestDelayMillis(EngineSettings settings, int attempt) {
    long cap = settings.maxBackoff().toMillis();
    long exponential = settings.initialBackoff().toMillis();
    for (int i = 1; i < attempt && exponential < cap; i++) {
      exponential *= 2;
    }
    long capped = Math.min(cap, Math.max(1, exponential));
    return Math.max(1, capped / 2);
  }
}
