package com.closeout.targets.resilience;

import com.closeout.domain.TargetSystem;
import com.closeout.targets.TargetUnavailableException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One target system's circuit breaker and rate limiter. An open breaker refuses at once, so a dead
 * target costs no wait and its closures are retried later while closures waiting on other targets
 * go on. Only {@link TargetUnavailableException} counts as a failure: a revision conflict or a
 * missing record is an answer, not an outage.
 */
public final class TargetGuard {
  private final TargetSystem system;
  private final GuardSettings settings;
  private final CircuitBreaker breaker;
  private final RateLimiter limiter;

  /**
   * @param breakerClock the time the breaker's open state is measured in; a campaign on a simulated
   *     clock passes its clock so an open breaker half-opens when simulated time has passed
   */
  public TargetGuard(TargetSystem system, GuardSettings settings, Clock breakerClock) {
    this.system = system;
    this.settings = settings;
    this.breaker =
        CircuitBreaker.of(
            system.wireName(),
            CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.failureRateThreshold())
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.slidingWindowSize())
                .minimumNumberOfCalls(settings.minimumNumberOfCalls())
                .waitDurationInOpenState(settings.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(settings.permittedCallsInHalfOpenState())
                .recordException(TargetUnavailableException.class::isInstance)
                .clock(breakerClock)
                .build());
    this.limiter =
        RateLimiter.of(
            system.wireName(),
            RateLimiterConfig.custom()
                .limitForPeriod(settings.limitForPeriod())
                .limitRefreshPeriod(settings.limitRefreshPeriod())
                .timeoutDuration(settings.limitTimeout())
                .build());
  }

  public TargetSystem system() {
    return system;
  }

  /** Runs one call to the target through the breaker and the limiter. */
  public <T> T call(Supplier<T> call) {
    if (!breaker.tryAcquirePermission()) {
      throw new TargetUnavailableException(
          system, "circuit breaker open", false, settings.waitInOpenState());
    }
    if (!limiter.acquirePermission()) {
      breaker.releasePermission();
      throw new TargetUnavailableException(
          system, "rate limit: no permission in time", false, settings.limitRefreshPeriod());
    }
    long start = System.nanoTime();
    try {
      T result = call.get();
      breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      return result;
    } catch (RuntimeException e) {
      // onError records or ignores it by the predicate above; either way the permission is used.
      breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
      throw e;
    }
  }

  public void run(Runnable call) {
    call(
        () -> {
          call.run();
          return null;
        });
  }

  public TargetGuardStatus status() {
    CircuitBreaker.Metrics metrics = breaker.getMetrics();
    return new TargetGuardStatus(
        breaker.getState().name(),
        metrics.getFailureRate(),
        metrics.getNumberOfBufferedCalls(),
        metrics.getNumberOfFailedCalls(),
        metrics.getNumberOfNotPermittedCalls(),
        limiter.getMetrics().getAvailablePermissions(),
        limiter.getMetrics().getNumberOfWaitingThreads(),
        settings.limitForPeriod(),
        settings.limitRefreshPeriod().toMillis());
  }

  /** For tests and operators: force the breaker open (e.g. to drain a target for maintenance). */
  public void open() {
    breaker.transitionToOpenState();
  }

  public void reset() {
    breaker.reset();
  }
}
