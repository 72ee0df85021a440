package com.closeout.propagation;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with "equal jitter": half the capped exponential delay, plus a random part of
 * the other half. The random source is injected so a seeded campaign replays the same delays
 * (docs/decisions/0001-durable-retries.md says why this is not Resilience4j's IntervalFunction).
 */
final class RetryBackoff {
  private final RandomGenerator random;

  RetryBackoff(RandomGenerator random) {
    this.random = random;
  }

  /** The delay before attempt {@code attempt + 1}, where {@code attempt} starts at 1. */
  Duration delay(Duration initial, Duration max, int attempt) {
    long cap = max.toMillis();
    long exponential = initial.toMillis();
    for (int i = 1; i < attempt && exponential < cap; i++) {
      exponential *= 2;
    }
    long capped = Math.min(cap, Math.max(1, exponential));
    long half = capped / 2;
    long jitter;
    synchronized (random) {
      jitter = half == 0 ? 0 : random.nextLong(capped - half + 1);
    }
    return Duration.ofMillis(Math.max(1, half + jitter));
  }
}
