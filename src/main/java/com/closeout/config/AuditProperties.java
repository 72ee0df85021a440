package com.closeout.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code closeout.audit.*}: the chainer, which links committed audit entries into the hash chain.
 *
 * @param chaining whether an instance whose worker runs also chains (instances with the worker off
 *     leave it to those with it on; every chainer takes the chain head, so any number may run)
 * @param chainInterval pause between two chaining passes: how far the chain may trail the entries
 *     appended, and how often the head is taken
 */
@ConfigurationProperties("closeout.audit")
public record AuditProperties(Boolean chaining, Duration chainInterval) {
  public static final Duration DEFAULT_CHAIN_INTERVAL = Duration.ofMillis(50);

  public AuditProperties {
    chaining = chaining == null || chaining;
    chainInterval = chainInterval == null ? DEFAULT_CHAIN_INTERVAL : chainInterval;
    if (chainInterval.isNegative() || chainInterval.isZero()) {
      throw new IllegalArgumentException("closeout.audit.chain-interval must be positive");
    }
  }
}
