package com.closeout.bench;

/**
 * How a benchmark run drives the pipeline.
 *
 * @param cases clean closures in the measured (closed-loop) phase
 * @param targetLatencyMillis pause before every target call
 * @param parallelism closures of a claimed batch worked at once (Closeout), job executor threads
 *     (Flowable), connections writing at once (ceiling)
 * @param batchSize closures claimed per poll (EngineSettings.batchSize)
 * @param window most closures in flight at once in the closed-loop phase
 * @param halfRateSeconds how long the open-loop phase at half the measured rate sends events
 */
public record BenchSettings(
    int cases,
    int targetLatencyMillis,
    int parallelism,
    int batchSize,
    int window,
    int halfRateSeconds) {

  public static final int DEFAULT_CASES = 2_000;
  public static final int DEFAULT_PARALLELISM = 8;
  public static final int DEFAULT_BATCH_SIZE = 32;
  public static final int DEFAULT_HALF_RATE_SECONDS = 10;

  public BenchSettings {
    if (cases < 1 || targetLatencyMillis < 0 || parallelism < 1 || batchSize < 1 || window < 1) {
      throw new IllegalArgumentException("benchmark settings out of range");
    }
    if (halfRateSeconds < 1) {
      throw new IllegalArgumentException("halfRateSeconds must be positive");
    }
  }

  /** The default window: two claimed batches, so the next batch is waiting when one ends. */
  public static int defaultWindow(int batchSize) {
    return 2 * batchSize;
  }

  /** Closures left out of the figures at the start of a phase. */
  public int warmup() {
    return warmupOf(cases);
  }

  public static int warmupOf(int cases) {
    return Math.min(cases / 10, 1_000);
  }
}
