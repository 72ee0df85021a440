package com.closeout.bench;

/**
 * What one Closeout benchmark run measured.
 *
 * @param figures the closed-loop phase: sustained rate and event-to-notice latency
 * @param commitsPerClosure PostgreSQL commits (pg_stat_database.xact_commit) per closure
 * @param counts JDBC statements, round trips and commits of the closed-loop phase
 * @param rowsWritten rows inserted and updated by table in the closed-loop phase, as PostgreSQL
 *     counted them ({@code INSERT table}, {@code UPDATE table})
 * @param closures closures of the closed-loop phase
 * @param peakHeapMiB highest heap use seen during the closed-loop phase
 * @param heapAfterGcMiB heap in use after it and forced collections, the sandbox let go
 * @param halfRate events per second of the open-loop phase
 * @param halfRateFigures latency of the open-loop phase
 * @param cpu CPU per closure of the closed-loop phase
 * @param halfRateCounts JDBC statements, round trips and commits of the open-loop phase
 * @param halfRateClosures closures of the open-loop phase (its warm-up included)
 * @param halfRateCpu CPU per closure of the open-loop phase
 * @param openLoopWarmup the unmeasured open loop run before the measured one
 * @param walBytes WAL the server wrote during the closed-loop phase
 * @param halfRateWalBytes WAL the server wrote during the open-loop phase
 * @param diskFlushes how the store's disk flushed a probe's writes during the closed-loop phase
 * @param halfRateDiskFlushes the same during the open-loop phase
 * @param housekeeping the collections, vacuums and checkpoints during the closed-loop phase
 * @param halfRateHousekeeping the same during the open-loop phase
 * @param stalls the machine's stalls during the closed-loop phase, and the cases they held up
 * @param halfRateStalls the same during the open-loop phase
 * @param halfRateHandedOver closures of the open-loop phase intake handed to the worker, which took
 *     them without a claim (decision 0023)
 */
public record CloseoutRun(
    ClosureTimings.Figures figures,
    double commitsPerClosure,
    CountingDataSource.Counts counts,
    java.util.Map<String, Long> rowsWritten,
    int closures,
    double peakHeapMiB,
    double heapAfterGcMiB,
    double halfRate,
    ClosureTimings.Figures halfRateFigures,
    CpuMeter.Cost cpu,
    CountingDataSource.Counts halfRateCounts,
    int halfRateClosures,
    CpuMeter.Cost halfRateCpu,
    OpenLoopWarmup openLoopWarmup,
    long walBytes,
    long halfRateWalBytes,
    DiskFlushProbe.Flushes diskFlushes,
    DiskFlushProbe.Flushes halfRateDiskFlushes,
    Housekeeping housekeeping,
    Housekeeping halfRateHousekeeping,
    MachineStallProbe.PhaseStalls stalls,
    MachineStallProbe.PhaseStalls halfRateStalls,
    long halfRateHandedOver) {

  /** The share of the open loop's closures intake handed to the worker (decision 0023). */
  public double halfRateHandedOverShare() {
    return (double) halfRateHandedOver / halfRateClosures;
  }

  public double statementsPerClosure() {
    return (double) counts.statements() / closures;
  }

  public double roundTripsPerClosure() {
    return (double) counts.roundTrips() / closures;
  }

  public double jdbcCommitsPerClosure() {
    return (double) counts.commits() / closures;
  }

  /** Commits that cost a round trip of their own (not sent with the transaction's last write). */
  public double commitRoundTripsPerClosure() {
    return (double) counts.commitRoundTrips() / closures;
  }

  public double walBytesPerClosure() {
    return (double) walBytes / closures;
  }

  public double halfRateWalBytesPerClosure() {
    return (double) halfRateWalBytes / halfRateClosures;
  }

  public double writeCommitsPerClosure() {
    return (double) counts.writeCommits() / closures;
  }
}
