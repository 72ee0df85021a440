package com.closeout.propagation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RetryBackoffTests {
  private static final Duration INITIAL = Duration.ofSeconds(2);
  private static final Duration MAX = Duration.ofMinutes(5);

  @Test
  void delayStaysBetweenHalfAndAllOfTheExponentialDelay() {
    RetryBackoff backoff = new RetryBackoff(new SplittableRandom(7));
    for (int attempt = 1; attempt <= 12; attempt++) {
      long exponential = Math.min(MAX.toMillis(), INITIAL.toMillis() << (attempt - 1));
      for (int i = 0; i < 200; i++) {
        long delay = backoff.delay(INITIAL, MAX, attempt).toMillis();
        assertThat(delay).isBetween(exponential / 2, exponential);
      }
    }
  }

  @Test
  void delayNeverExceedsTheCapHoweverManyAttempts() {
    RetryBackoff backoff = new RetryBackoff(new SplittableRandom(1));
    assertThat(backoff.delay(INITIAL, MAX, 60)).isLessThanOrEqualTo(MAX);
  }

  @Test
  void sameSeedGivesTheSameDelays() {
    RetryBackoff first = new RetryBackoff(new SplittableRandom(42));
    RetryBackoff second = new RetryBackoff(new SplittableRandom(42));
    for (int attempt = 1; attempt <= 8; attempt++) {
      assertThat(first.delay(INITIAL, MAX, attempt)).isEqualTo(second.delay(INITIAL, MAX, attempt));
    }
  }

  @Test
  void jitterSpreadsDelaysOfTheSameAttempt() {
    RetryBackoff backoff = new RetryBackoff(new SplittableRandom(3));
    long distinct =
        java.util.stream.IntStream.range(0, 50)
            .mapToObj(i -> backoff.delay(INITIAL, MAX, 4))
            .distinct()
            .count();
    assertThat(distinct).isGreaterThan(10);
  }
}
