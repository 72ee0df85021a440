package com.closeout.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code closeout.reconciliation.*}: the periodic drift check of {@code serve} (SPEC §6).
 *
 * @param enabled whether serve runs it (one-shot commands never do; {@code reconcile} runs once)
 * @param interval pause between two passes
 * @param lookback how far back finalized records are compared with the targets
 */
@ConfigurationProperties("closeout.reconciliation")
public record ReconciliationProperties(Boolean enabled, Duration interval, Duration lookback) {
  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(15);
  public static final Duration DEFAULT_LOOKBACK = Duration.ofDays(7);

  public ReconciliationProperties {
    enabled = enabled == null || enabled;
    interval = interval == null ? DEFAULT_INTERVAL : interval;
    lookback = lookback == null ? DEFAULT_LOOKBACK : lookback;
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("closeout.reconciliation.interval must be positive");
    }
    if (lookback.isNegative() || lookback.isZero()) {
      throw new IllegalArgumentException("closeout.reconciliation.lookback must be positive");
    }
  }
}
