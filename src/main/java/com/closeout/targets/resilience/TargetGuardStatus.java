package com.closeout.targets.resilience;

/**
 * A snapshot of one target's breaker and limiter, as {@code closeout targets} shows it.
 *
 * @param breakerState CLOSED, OPEN, HALF_OPEN (or DISABLED, FORCED_OPEN, METRICS_ONLY)
 * @param failureRate percent of failed calls in the window; -1 until the window has enough calls
 */
public record TargetGuardStatus(
    String breakerState,
    float failureRate,
    int bufferedCalls,
    int failedCalls,
    long notPermittedCalls,
    int availablePermissions,
    int waitingThreads,
    int limitForPeriod,
    long limitRefreshPeriodMillis) {}
