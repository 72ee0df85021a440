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
 * @param halfRateSeconds how long the open-loop phase at half the measured rate sends events; its
 *     first quarter is left out of its figures (a fresh engine and pool: new connections plan and
 *     prepare their statements anew)
 * @param warmupSeconds each run's first seconds left out of its figures (at most half its cases)
 * @param peerCases closures of the peer's run: fewer than Closeout's, as it is an order of
 *     magnitude slower and its rate steadies within its warm-up
 * @param workers Closeout's worker threads, each claiming batches of its own (as {@code
 *     closeout.worker.threads} in {@code serve})
 * @param openLoopPercent the open-loop phase's rate as a share of the measured maximum: 50 (half
 *     the rate, what the goal asks) unless a latency curve is wanted
 * @param openLoopRate the open-loop phase's rate in events per second, whatever the maximum
 *     measured; 0 for {@code openLoopPercent} of it. A fixed rate lets runs of two builds be
 *     compared at the same load (the measured maximum varies from run to run on a shared machine)
 */
public record BenchSettings(
    int cases,
    int targetLatencyMillis,
    int parallelism,
    int batchSize,
    int window,
    int halfRateSeconds,
    int workers,
    int warmupSeconds,
    int peerCases,
    int openLoopPercent,
    int openLoopRate) {

  public static final int DEFAULT_CASES = 60_000;
  public static final int DEFAULT_PEER_CASES = 3_000;
  public static final int DEFAULT_WARMUP_SECONDS = 15;
  public static final int DEFAULT_PARALLELISM = 8;
  public static final int DEFAULT_BATCH_SIZE = 32;
  public static final int DEFAULT_HALF_RATE_SECONDS = 20;
  public static final int DEFAULT_OPEN_LOOP_PERCENT = 50;

  /** What {@code serve} runs by default (closeout.worker.threads). */
  public static final int DEFAULT_WORKERS = 2;

  public BenchSettings {
    if (cases < 1 || targetLatencyMillis < 0 || parallelism < 1 || batchSize < 1 || window < 1) {
      throw new IllegalArgumentException("benchmark settings out of range");
    }
    if (warmupSeconds < 0 || peerCases < 1) {
      throw new IllegalArgumentException("warmupSeconds must not be negative, peerCases positive");
    }
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be positive");
    }
    if (halfRateSeconds < 1) {
      throw new IllegalArgumentException("halfRateSeconds must be positive");
    }
    if (openLoopPercent < 1 || openLoopPercent > 100) {
      throw new IllegalArgumentException("openLoopPercent must be 1..100");
    }
    if (openLoopRate < 0) {
      throw new IllegalArgumentException("openLoopRate must not be negative");
    }
  }

  /** Whether the open-loop phase runs at half the rate, where the latency goal is judged. */
  public boolean openLoopAtHalfRate() {
    return openLoopRate == 0 && openLoopPercent == DEFAULT_OPEN_LOOP_PERCENT;
  }

  /** How the open-loop phase's rate was chosen, for reports: "a fixed rate", "50 % of the rate". */
  public String openLoopChoice() {
    return openLoopRate > 0 ? "a fixed rate" : openLoopPercent + " % of the rate";
  }

  /** The open-loop phase's events per second, given the closed loop's measured maximum. */
  public double openLoopRateFor(double measuredPerSecond) {
    return openLoopRate > 0 ? openLoopRate : measuredPerSecond * openLoopPercent / 100;
  }

  /**
   * The default window: two claimed batches per worker thread, so each thread finds its next batch
   * waiting when one ends.
   */
  public static int defaultWindow(int batchSize, int workers) {
    return 2 * batchSize * workers;
  }

  /** Closures left out of the figures at the start of a phase, at least. */
  public int warmup() {
    return warmupOf(cases);
  }

  public java.time.Duration halfRateWarmupTime() {
    return java.time.Duration.ofMillis(halfRateSeconds * 250L);
  }

  public java.time.Duration warmupTime() {
    return java.time.Duration.ofSeconds(warmupSeconds);
  }

  public static int warmupOf(int cases) {
    return Math.min(cases / 10, 1_000);
  }
}
