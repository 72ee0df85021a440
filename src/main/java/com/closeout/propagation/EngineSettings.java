package com.closeout.propagation;

import java.time.Duration;

/**
 * Tunables of the engine, Spring-free. Defaults are production values: a target outage of about a
 * quarter of an hour is ridden out before a person is asked.
 *
 * @param maxAttempts attempts of one closure without progress before RETRIES_EXHAUSTED
 * @param initialBackoff first retry delay; doubles each attempt, with full jitter
 * @param maxBackoff cap of one retry delay
 * @param sourceBehindReads re-reads of a source record older than the event before SOURCE_BEHIND
 * @param sourceBehindBackoff first delay between those re-reads; doubles each time
 * @param conflictRereads immediate re-reads after a revision conflict before backing off
 * @param lease how long a worker may hold a closure before another may take it over
 * @param batchSize closures claimed per poll
 * @param phaseDeadline how long a batch waits for one closure's target calls in one phase; a
 *     closure still waiting then leaves the batch and retries later, so one slow target does not
 *     hold closures that wait on other targets
 */
public record EngineSettings(
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    int sourceBehindReads,
    Duration sourceBehindBackoff,
    int conflictRereads,
    Duration lease,
    int batchSize,
    Duration phaseDeadline) {

  public static EngineSettings defaults() {
    return new EngineSettings(
        10,
        Duration.ofSeconds(2),
        Duration.ofMinutes(5),
        5,
        Duration.ofSeconds(1),
        5,
        Duration.ofMinutes(2),
        32,
        Duration.ofSeconds(5));
  }

  public EngineSettings withMaxAttempts(int value) {
    return new EngineSettings(
        value,
        initialBackoff,
        maxBackoff,
        sourceBehindReads,
        sourceBehindBackoff,
        conflictRereads,
        lease,
        batchSize,
        phaseDeadline);
  }

  public EngineSettings withBatchSize(int value) {
    return new EngineSettings(
        maxAttempts,
        initialBackoff,
        maxBackoff,
        sourceBehindReads,
        sourceBehindBackoff,
        conflictRereads,
        lease,
        value,
        phaseDeadline);
  }

  public EngineSettings withPhaseDeadline(Duration value) {
    return new EngineSettings(
        maxAttempts,
        initialBackoff,
        maxBackoff,
        sourceBehindReads,
        sourceBehindBackoff,
        conflictRereads,
        lease,
        batchSize,
        value);
  }
}
