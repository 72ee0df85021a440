package com.closeout.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark's result: Closeout's figures, the peer's and the ceiling's on the same cases and
 * database, the ratios, and the goals of issue 3 with whether each was met. Printed as one JSON
 * object or as a table.
 *
 * @param peer null when no peer ran
 * @param collector the measured JVM's collectors and pause-time goal ({@link JvmCollector})
 */
public record BenchReport(
    String store,
    BenchSettings settings,
    CloseoutRun closeout,
    PeerRun peer,
    double ceilingClosuresPerSecond,
    WriteCeiling.Plan ceilingPlan,
    String openLoopIntake,
    String collector) {

  /** A run whose open-loop phase handed its events to intake directly, in this JVM. */
  public BenchReport(
      String store,
      BenchSettings settings,
      CloseoutRun closeout,
      PeerRun peer,
      double ceilingClosuresPerSecond,
      WriteCeiling.Plan ceilingPlan) {
    this(
        store,
        settings,
        closeout,
        peer,
        ceilingClosuresPerSecond,
        ceilingPlan,
        "direct",
        JvmCollector.inThisJvm());
  }

  /** The latency goal: p99 event-to-notice at half the maximum rate, at most this. */
  public static final double P99_GOAL_MILLIS = 50;

  public Double vsPeer() {
    return peer == null || peer.closuresPerSecond() <= 0
        ? null
        : closeout.figures().closuresPerSecond() / peer.closuresPerSecond();
  }

  public Double latencyVsPeer() {
    return peer == null || closeout.figures().p50Millis() <= 0
        ? null
        : peer.p50Millis() / closeout.figures().p50Millis();
  }

  public double vsCeiling() {
    return closeout.figures().closuresPerSecond() / ceilingClosuresPerSecond;
  }

  /** One goal of issue 3: what was asked, what was measured, whether it held. */
  public record Goal(String name, String target, Double measured, Boolean met) {}

  public List<Goal> goals() {
    Double vsPeer = vsPeer();
    // The latency goal is judged at half the rate only: another share or a fixed rate is a point
    // on a curve.
    Double p99 = settings.openLoopAtHalfRate() ? closeout.halfRateFigures().p99Millis() : null;
    return List.of(
        new Goal("closeoutVsFlowable", ">= 3", vsPeer, vsPeer == null ? null : vsPeer >= 3),
        new Goal("closeoutVsCeiling", ">= 0.5", vsCeiling(), vsCeiling() >= 0.5),
        new Goal(
            "p99AtHalfRateMillis",
            "<= " + (int) P99_GOAL_MILLIS,
            p99,
            p99 == null ? null : p99 <= P99_GOAL_MILLIS),
        new Goal(
            "commitsPerClosure",
            "<= 3",
            closeout.commitsPerClosure(),
            closeout.commitsPerClosure() <= 3),
        new Goal(
            "heapAfterGcMiB",
            "<= 256 (after 100k closures)",
            closeout.heapAfterGcMiB(),
            closeout.heapAfterGcMiB() <= 256));
  }

  private static Map<String, Object> housekeeping(Housekeeping housekeeping) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("collections", housekeeping.collections());
    map.put("collectionMillis", housekeeping.collectionMillis());
    map.put("vacuums", housekeeping.vacuums());
    map.put("vacuumsByTable", new java.util.TreeMap<>(housekeeping.vacuumsByTable()));
    map.put("checkpoints", housekeeping.checkpoints());
    return map;
  }

  /** The machine's stalls beside a phase and the measured cases in flight during them. */
  private static Map<String, Object> stalls(MachineStallProbe.PhaseStalls phase) {
    MachineStallProbe.Stalls stalls = phase.stalls();
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("realTimeProbe", stalls.realTime());
    map.put("stalls", stalls.machine().size());
    map.put("over50Millis", stalls.machineOver(P99_GOAL_MILLIS));
    map.put("longestMillis", round(stalls.longestMillis()));
    map.put("stalledMillis", round(stalls.stalledMillis()));
    map.put("duringCollections", stalls.duringCollections());
    ClosureTimings.StallShare cases = phase.cases();
    map.put("casesOver50Millis", cases.slow());
    map.put("casesOver50MillisInFlightDuringAStall", cases.slowInStalls());
    map.put("casesInFlightDuringNone", cases.outside());
    map.put("p99OfThoseMillis", round(cases.p99OutsideMillis()));
    return map;
  }

  /** The disk probe's flushes; null when none ran (the server is on another machine). */
  private static Map<String, Object> flushes(DiskFlushProbe.Flushes flushes) {
    if (flushes.count() == 0) {
      return null;
    }
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("count", flushes.count());
    map.put("p50Millis", round(flushes.p50Millis()));
    map.put("p99Millis", round(flushes.p99Millis()));
    map.put("maxMillis", round(flushes.maxMillis()));
    map.put("over50Millis", flushes.over50Millis());
    return map;
  }

  private static Map<String, Object> cpu(CpuMeter.Cost cost) {
    Map<String, Object> cpu = new LinkedHashMap<>();
    cpu.put("jvmMillis", round(cost.jvmMillis()));
    cpu.put("serverMillis", round(cost.serverMillis()));
    cpu.put("busyShare", round(cost.busyShare()));
    cpu.put("jvmByThread", cost.jvmByThread());
    return cpu;
  }

  private static List<Map<String, Object>> legs(ClosureTimings.Figures figures) {
    List<Map<String, Object>> legs = new ArrayList<>();
    for (ClosureTimings.Leg leg : figures.legs()) {
      Map<String, Object> l = new LinkedHashMap<>();
      l.put("leg", leg.name());
      l.put("p50Millis", round(leg.p50Millis()));
      l.put("p99Millis", round(leg.p99Millis()));
      l.put("cases", leg.cases());
      legs.add(l);
    }
    return legs;
  }

  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    ClosureTimings.Figures figures = closeout.figures();
    map.put("closuresPerSecond", round(figures.closuresPerSecond()));
    map.put("p50Millis", round(figures.p50Millis()));
    map.put("p99Millis", round(figures.p99Millis()));
    map.put("p99AtHalfRateMillis", round(closeout.halfRateFigures().p99Millis()));
    map.put("p50AtHalfRateMillis", round(closeout.halfRateFigures().p50Millis()));
    map.put("halfRatePerSecond", round(closeout.halfRate()));
    map.put("halfRateLegs", legs(closeout.halfRateFigures()));
    map.put("openLoopPercent", settings.openLoopRate() > 0 ? null : settings.openLoopPercent());
    map.put("openLoopRate", settings.openLoopRate() > 0 ? settings.openLoopRate() : null);
    map.put("legs", legs(figures));
    map.put("commitsPerClosure", round(closeout.commitsPerClosure()));
    map.put("statementsPerClosure", round(closeout.statementsPerClosure()));
    map.put("roundTripsPerClosure", round(closeout.roundTripsPerClosure()));
    map.put("jdbcCommitsPerClosure", round(closeout.jdbcCommitsPerClosure()));
    map.put("commitRoundTripsPerClosure", round(closeout.commitRoundTripsPerClosure()));
    map.put("writeTransactionsPerClosure", round(closeout.writeCommitsPerClosure()));
    map.put("walBytesPerClosure", Math.round(closeout.walBytesPerClosure()));
    map.put("diskFlushes", flushes(closeout.diskFlushes()));
    map.put("housekeeping", housekeeping(closeout.housekeeping()));
    map.put("machineStalls", stalls(closeout.stalls()));
    Map<String, Object> byKind = new java.util.TreeMap<>();
    closeout
        .counts()
        .kinds()
        .forEach((kind, n) -> byKind.put(kind, round((double) n / closeout.closures())));
    map.put("statementsPerClosureByKind", byKind);
    map.put("cpuPerClosure", cpu(closeout.cpu()));
    // The open-loop phase rides smaller batches: what each closure costs there is what decides
    // how busy "half the rate" keeps the machine.
    Map<String, Object> open = new LinkedHashMap<>();
    int halfClosures = closeout.halfRateClosures();
    CountingDataSource.Counts halfCounts = closeout.halfRateCounts();
    open.put("closures", halfClosures);
    open.put("statementsPerClosure", round((double) halfCounts.statements() / halfClosures));
    open.put("roundTripsPerClosure", round((double) halfCounts.roundTrips() / halfClosures));
    open.put("jdbcCommitsPerClosure", round((double) halfCounts.commits() / halfClosures));
    open.put(
        "commitRoundTripsPerClosure", round((double) halfCounts.commitRoundTrips() / halfClosures));
    Map<String, Object> halfByKind = new java.util.TreeMap<>();
    halfCounts.kinds().forEach((kind, n) -> halfByKind.put(kind, round((double) n / halfClosures)));
    open.put("statementsPerClosureByKind", halfByKind);
    open.put("eventsPerIntakeTransaction", round(eventsPerIntakeTransaction()));
    open.put("handedOverByIntake", round(closeout.halfRateHandedOverShare()));
    open.put("walBytesPerClosure", Math.round(closeout.halfRateWalBytesPerClosure()));
    open.put("diskFlushes", flushes(closeout.halfRateDiskFlushes()));
    open.put("housekeeping", housekeeping(closeout.halfRateHousekeeping()));
    open.put("machineStalls", stalls(closeout.halfRateStalls()));
    open.put("cpuPerClosure", cpu(closeout.halfRateCpu()));
    Map<String, Object> warmup = new LinkedHashMap<>();
    warmup.put("parts", closeout.openLoopWarmup().parts());
    warmup.put("seconds", round(closeout.openLoopWarmup().seconds()));
    warmup.put("compilerShare", round(closeout.openLoopWarmup().compilerShare()));
    warmup.put("settled", closeout.openLoopWarmup().settled());
    open.put("warmup", warmup);
    map.put("openLoopCosts", open);
    map.put("peakHeapMiB", round(closeout.peakHeapMiB()));
    map.put("heapAfterGcMiB", round(closeout.heapAfterGcMiB()));
    if (peer == null) {
      map.put("peer", null);
    } else {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", peer.name());
      p.put("closuresPerSecond", round(peer.closuresPerSecond()));
      p.put("p50Millis", round(peer.p50Millis()));
      p.put("p99Millis", round(peer.p99Millis()));
      p.put("commitsPerClosure", round(peer.commitsPerClosure()));
      p.put("statementsPerClosure", round(peer.statementsPerClosure()));
      map.put("peer", p);
    }
    Map<String, Object> ceiling = new LinkedHashMap<>();
    ceiling.put("closuresPerSecond", round(ceilingClosuresPerSecond));
    ceiling.put("transactionsPerClosure", ceilingPlan.transactions());
    ceiling.put("rowsPerClosure", ceilingPlan.writeSet());
    if (!ceilingPlan.unmodelled().isEmpty()) {
      ceiling.put("unmodelled", ceilingPlan.unmodelled());
    }
    map.put("ceiling", ceiling);
    map.put("vsPeer", round(vsPeer()));
    map.put("vsCeiling", round(vsCeiling()));
    Map<String, Object> goals = new LinkedHashMap<>();
    for (Goal goal : goals()) {
      Map<String, Object> g = new LinkedHashMap<>();
      g.put("target", goal.target());
      g.put("measured", round(goal.measured()));
      g.put("met", goal.met());
      goals.put(goal.name(), g);
    }
    map.put("goals", goals);
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("store", store);
    run.put("openLoopIntake", openLoopIntake);
    run.put("closures", settings.cases());
    run.put("targetLatencyMillis", settings.targetLatencyMillis());
    run.put("parallelism", settings.parallelism());
    run.put("batchSize", settings.batchSize());
    run.put("workers", settings.workers());
    run.put("collector", collector);
    run.put("warmupSeconds", settings.warmupSeconds());
    run.put("measuredClosures", closeout.figures().measured());
    run.put("warmupCut", closeout.figures().warmupCut());
    run.put("peerClosures", peer == null ? null : settings.peerCases());
    run.put("window", settings.window());
    run.put("statementsCountedBy", "JDBC proxy (pg_stat_statements is not loaded)");
    run.put("commitsCountedBy", "pg_stat_database.xact_commit delta");
    map.put("run", run);
    return map;
  }

  public String toJson() {
    return JsonMapper.builder().build().writeValueAsString(toMap());
  }

  public void printTable(PrintStream out) {
    ClosureTimings.Figures figures = closeout.figures();
    out.printf(
        "bench: %d closures on %s, %d ms per target call, parallelism %d, batch %d, window %d%n%n",
        settings.cases(),
        store,
        settings.targetLatencyMillis(),
        settings.parallelism(),
        settings.batchSize(),
        settings.window());
    String row = "%-26s %14s %14s %14s%n";
    out.printf(row, "", "Closeout", peer == null ? "peer" : peer.name(), "ceiling");
    out.printf(
        row,
        "closures/s",
        fmt(figures.closuresPerSecond()),
        peer == null ? "-" : fmt(peer.closuresPerSecond()),
        fmt(ceilingClosuresPerSecond));
    out.printf(
        row,
        "p50 event-to-notice ms",
        fmt(figures.p50Millis()),
        peer == null ? "-" : fmt(peer.p50Millis()),
        "");
    out.printf(
        row,
        "p99 event-to-notice ms",
        fmt(figures.p99Millis()),
        peer == null ? "-" : fmt(peer.p99Millis()),
        "");
    out.printf(
        row,
        "commits/closure",
        fmt(closeout.commitsPerClosure()),
        peer == null ? "-" : fmt(peer.commitsPerClosure()),
        fmt(ceilingPlan.transactions()));
    out.printf(
        row,
        "statements/closure",
        fmt(closeout.statementsPerClosure()),
        peer == null ? "-" : fmt(peer.statementsPerClosure()),
        "-");
    out.printf(
        row,
        "rows written/closure",
        fmt(
            closeout.rowsWritten().values().stream().mapToLong(Long::longValue).sum()
                / (double) closeout.closures()),
        "-",
        fmt(ceilingPlan.writeSet().values().stream().mapToDouble(Double::doubleValue).sum()));
    out.println();
    out.printf(
        "at %s (%s events/s, open loop%s): p50 %s ms, p99 %s ms%n",
        settings.openLoopChoice(),
        fmt(closeout.halfRate()),
        openLoopIntake.equals("kafka") ? ", through Kafka" : "",
        fmt(closeout.halfRateFigures().p50Millis()),
        fmt(closeout.halfRateFigures().p99Millis()));
    for (ClosureTimings.Leg leg : closeout.halfRateFigures().legs()) {
      out.printf(
          "  %-36s p50 %s ms, p99 %s ms%n", leg.name(), fmt(leg.p50Millis()), fmt(leg.p99Millis()));
    }
    out.printf(
        "  per closure: %s statements, %s round trips, %s commits (%s of them a round trip of"
            + " their own), %s bytes of WAL; CPU ms: JVM %s, database %s (machine %s busy); %s"
            + " events an intake transaction, %s of the closures handed to the worker by"
            + " intake%n",
        fmt((double) closeout.halfRateCounts().statements() / closeout.halfRateClosures()),
        fmt((double) closeout.halfRateCounts().roundTrips() / closeout.halfRateClosures()),
        fmt((double) closeout.halfRateCounts().commits() / closeout.halfRateClosures()),
        fmt((double) closeout.halfRateCounts().commitRoundTrips() / closeout.halfRateClosures()),
        fmt(closeout.halfRateWalBytesPerClosure()),
        fmt(closeout.halfRateCpu().jvmMillis()),
        fmt(closeout.halfRateCpu().serverMillis()),
        fmt(closeout.halfRateCpu().busyShare()),
        fmt(eventsPerIntakeTransaction()),
        fmt(closeout.halfRateHandedOverShare()));
    DiskFlushProbe.Flushes flushes = closeout.halfRateDiskFlushes();
    if (flushes.count() > 0) {
      out.printf(
          "  the store's disk meanwhile: %d flushes of 8 kB, p50 %s ms, p99 %s ms, slowest %s ms"
              + " (%d over 50 ms: a commit then waits about as long)%n",
          flushes.count(),
          fmt(flushes.p50Millis()),
          fmt(flushes.p99Millis()),
          fmt(flushes.maxMillis()),
          flushes.over50Millis());
    }
    Housekeeping housekeeping = closeout.halfRateHousekeeping();
    out.printf(
        "  beside it: %d collections of the JVM (%d ms), %d vacuum passes of Closeout's tables%s,"
            + " %d checkpoints%n",
        housekeeping.collections(),
        housekeeping.collectionMillis(),
        housekeeping.vacuums(),
        housekeeping.vacuumsByTable().isEmpty()
            ? ""
            : " " + new java.util.TreeMap<>(housekeeping.vacuumsByTable()),
        housekeeping.checkpoints());
    MachineStallProbe.PhaseStalls halfStalls = closeout.halfRateStalls();
    MachineStallProbe.Stalls stalls = halfStalls.stalls();
    out.printf(
        "  the machine meanwhile: %d stalls of %s ms or more of a probe thread at %s (%d over 50"
            + " ms, longest %s ms, %s ms in all; %d more during collections); %d of the %d cases"
            + " over 50 ms were in flight during one; p99 of the %d cases in flight during none %s"
            + " ms%n",
        stalls.machine().size(),
        MachineStallProbe.STALL_NANOS / 1_000_000,
        stalls.realTime()
            ? "real-time priority"
            : "normal priority, so queueing on the cores counts too",
        stalls.machineOver(P99_GOAL_MILLIS),
        fmt(stalls.longestMillis()),
        fmt(stalls.stalledMillis()),
        stalls.duringCollections(),
        halfStalls.cases().slowInStalls(),
        halfStalls.cases().slow(),
        halfStalls.cases().outside(),
        fmt(halfStalls.cases().p99OutsideMillis()));
    out.printf(
        "CPU ms per closure at the maximum rate: JVM %s, database %s (machine %s busy)%n",
        fmt(closeout.cpu().jvmMillis()),
        fmt(closeout.cpu().serverMillis()),
        fmt(closeout.cpu().busyShare()));
    out.printf(
        "heap: peak %s MiB, after the run and a forced GC %s MiB; collector %s%n",
        fmt(closeout.peakHeapMiB()), fmt(closeout.heapAfterGcMiB()), collector);
    out.printf(
        "JDBC per closure: %s round trips, %s commits (%s of them writing, %s a round trip of"
            + " their own); %s bytes of WAL%n",
        fmt(closeout.roundTripsPerClosure()),
        fmt(closeout.jdbcCommitsPerClosure()),
        fmt(closeout.writeCommitsPerClosure()),
        fmt(closeout.commitRoundTripsPerClosure()),
        fmt(closeout.walBytesPerClosure()));
    out.printf(
        "Closeout / %s: %s x throughput; Closeout / ceiling: %s%n%n",
        peer == null ? "peer" : peer.name(),
        vsPeer() == null ? "-" : fmt(vsPeer()),
        fmt(vsCeiling()));
    out.println("goals (issue 3):");
    for (Goal goal : goals()) {
      out.printf(
          "  %-22s %-30s %10s  %s%n",
          goal.name(),
          goal.target(),
          goal.measured() == null ? "-" : fmt(goal.measured()),
          goal.met() == null ? "not measured" : goal.met() ? "met" : "MISSED");
    }
  }

  /**
   * The open loop's closures (one event each) over its intake statements: how many deliveries one
   * intake transaction carried. Intake writes the inbox in one statement a transaction (decision
   * 0020), and no other statement inserts there. At small batches a transaction's own cost is about
   * what its events cost the server (docs/performance.md, session 19), so this says how much of it
   * each closure bears. NaN when the phase counted no intake statement.
   */
  private double eventsPerIntakeTransaction() {
    long intakes = closeout.halfRateCounts().kinds().getOrDefault("INSERT inbox", 0L);
    return intakes == 0 ? Double.NaN : closeout.halfRateClosures() / (double) intakes;
  }

  private static String fmt(double value) {
    if (Double.isNaN(value)) {
      return "-";
    }
    return value >= 100
        ? String.format(Locale.ROOT, "%.0f", value)
        : String.format(Locale.ROOT, "%.2f", value);
  }

  private static Double round(Double value) {
    if (value == null || value.isNaN() || value.isInfinite()) {
      return null;
    }
    return Math.round(value * 100.0) / 100.0;
  }
}
