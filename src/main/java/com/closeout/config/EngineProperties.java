package com.closeout.config;

import com.closeout.propagation.EngineSettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code closeout.engine.*}: the engine's tunables. A property left out takes its value from {@link
 * EngineSettings#defaults()}, so the defaults live in one place.
 */
@ConfigurationProperties("closeout.engine")
public record EngineProperties(
    Integer maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Integer sourceBehindReads,
    Duration sourceBehindBackoff,
    Integer conflictRereads,
    Duration lease,
    Integer batchSize,
    Duration phaseDeadline) {

  public EngineProperties {
    EngineSettings defaults = EngineSettings.defaults();
    maxAttempts = orElse(maxAttempts, defaults.maxAttempts());
    initialBackoff = orElse(initialBackoff, defaults.initialBackoff());
    maxBackoff = orElse(maxBackoff, defaults.maxBackoff());
    sourceBehindReads = orElse(sourceBehindReads, defaults.sourceBehindReads());
    sourceBehindBackoff = orElse(sourceBehindBackoff, defaults.sourceBehindBackoff());
    conflictRereads = orElse(conflictRereads, defaults.conflictRereads());
    lease = orElse(lease, defaults.lease());
    batchSize = orElse(batchSize, defaults.batchSize());
    phaseDeadline = orElse(phaseDeadline, defaults.phaseDeadline());
    requirePositive("max-attempts", maxAttempts);
    requirePositive("batch-size", batchSize);
    requireNonNegative("source-behind-reads", sourceBehindReads);
    requireNonNegative("conflict-rereads", conflictRereads);
    requirePositive("initial-backoff", initialBackoff);
    requirePositive("max-backoff", maxBackoff);
    requirePositive("source-behind-backoff", sourceBehindBackoff);
    requirePositive("lease", lease);
    requirePositive("phase-deadline", phaseDeadline);
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "closeout.engine.max-backoff must not be shorter than initial-backoff");
    }
  }

  public EngineSettings toSettings() {
    return new EngineSettings(
        maxAttempts,
        initialBackoff,
        maxBackoff,
        sourceBehindReads,
        sourceBehindBackoff,
        conflictRereads,
        lease,
        batchSize,
        phaseDeadline);
  }

  private static <T> T orElse(T value, T fallback) {
    return value != null ? value : fallback;
  }

  private static void requirePositive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException("closeout.engine." + name + " must be at least 1");
    }
  }

  private static void requireNonNegative(String name, int value) {
    if (value < 0) {
      throw new IllegalArgumentException("closeout.engine." + name + " must not be negative");
    }
  }

  private static void requirePositive(String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("closeout.engine." + name + " must be positive");
    }
  }
}
