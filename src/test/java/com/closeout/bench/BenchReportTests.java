package com.closeout.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchReportTests {

  @Test
  void theLatencyGoalIsJudgedAtHalfTheRate() {
    BenchReport report = report(50, 48.0);

    assertThat(goal(report, "p99AtHalfRateMillis"))
        .isEqualTo(new BenchReport.Goal("p99AtHalfRateMillis", "<= 50", 48.0, true));
    assertThat(report.toMap()).containsEntry("openLoopPercent", 50);
  }

  @Test
  void anOpenLoopPhaseAtAnotherShareOfTheRateLeavesTheLatencyGoalUnjudged() {
    BenchReport report = report(25, 30.0);

    assertThat(goal(report, "p99AtHalfRateMillis"))
        .isEqualTo(new BenchReport.Goal("p99AtHalfRateMillis", "<= 50", null, null));
    assertThat(report.toMap())
        .containsEntry("openLoopPercent", 25)
        .containsEntry("p99AtHalfRateMillis", 30.0);
  }

  @Test
  void anOpenLoopPhaseAtAFixedRateLeavesTheLatencyGoalUnjudgedAndSaysWhichRate() {
    BenchReport report = report(50, 300, 45.0);

    assertThat(goal(report, "p99AtHalfRateMillis"))
        .isEqualTo(new BenchReport.Goal("p99AtHalfRateMillis", "<= 50", null, null));
    assertThat(report.toMap())
        .containsEntry("openLoopRate", 300)
        .containsEntry("openLoopPercent", null)
        .containsEntry("p99AtHalfRateMillis", 45.0);
    assertThat(
            new BenchSettings(1_000, 0, 8, 32, 128, 20, 2, 15, 100, 50, 300).openLoopRateFor(900))
        .isEqualTo(300.0);
    assertThat(new BenchSettings(1_000, 0, 8, 32, 128, 20, 2, 15, 100, 25, 0).openLoopRateFor(900))
        .isEqualTo(225.0);
  }

  @Test
  void theOpenLoopPhaseReportsWhatEachOfItsClosuresCost() {
    Map<String, Object> map = report(50, 48.0).toMap();

    assertThat(map)
        .containsEntry(
            "cpuPerClosure",
            Map.of(
                "jvmMillis", 2.0, "serverMillis", 3.0, "busyShare", 0.9, "jvmByThread", Map.of()));
    @SuppressWarnings("unchecked")
    Map<String, Object> open = (Map<String, Object>) map.get("openLoopCosts");
    assertThat(open)
        .containsEntry("closures", 200)
        .containsEntry(
            "warmup", Map.of("parts", 2, "seconds", 21.5, "compilerShare", 0.03, "settled", true))
        .containsEntry("statementsPerClosure", 6.0)
        .containsEntry("roundTripsPerClosure", 1.5)
        .containsEntry("jdbcCommitsPerClosure", 0.3)
        .containsEntry("commitRoundTripsPerClosure", 0.2)
        .containsEntry("statementsPerClosureByKind", Map.of("SELECT", 2.0))
        .containsEntry("eventsPerIntakeTransaction", null)
        .containsEntry("handedOverByIntake", 0.75);
    Map<String, Object> cpu = new java.util.HashMap<>();
    cpu.put("jvmMillis", 4.0);
    cpu.put("serverMillis", 6.0);
    cpu.put("busyShare", null);
    cpu.put("jvmByThread", Map.of());
    assertThat(open).containsEntry("cpuPerClosure", cpu);
  }

  @Test
  void theOpenLoopPhaseSaysHowManyEventsEachIntakeTransactionCarried() {
    BenchReport report =
        report(
            50,
            48.0,
            new CountingDataSource.Counts(
                1_200, 300, 60, 60, 40, Map.of("INSERT inbox", 80L, "SELECT", 400L)));

    @SuppressWarnings("unchecked")
    Map<String, Object> open = (Map<String, Object>) report.toMap().get("openLoopCosts");
    // 200 closures, one event each, in 80 intake statements.
    assertThat(open).containsEntry("eventsPerIntakeTransaction", 2.5);
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    report.printTable(new PrintStream(table, true, StandardCharsets.UTF_8));
    assertThat(table.toString(StandardCharsets.UTF_8))
        .contains(
            "(machine - busy); 2.50 events an intake transaction, 0.75 of the closures handed to"
                + " the worker by intake");
  }

  @Test
  void theRunNamesTheCollectorAndPauseGoalOfTheJvmItMeasured() {
    String collector = JvmCollector.inThisJvm();
    BenchReport report = report(50, 48.0);
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    report.printTable(new PrintStream(table, true, StandardCharsets.UTF_8));

    // Whichever collector the test's JVM picked (G1 on two cores or more): its names come first,
    // and its pause goal last where it has one.
    assertThat(collector)
        .startsWith(ManagementFactory.getGarbageCollectorMXBeans().get(0).getName());
    JvmCollector.pauseGoalMillis()
        .ifPresent(goal -> assertThat(collector).endsWith("; pause goal " + goal + " ms"));
    @SuppressWarnings("unchecked")
    Map<String, Object> run = (Map<String, Object>) report.toMap().get("run");
    assertThat(run).containsEntry("collector", collector);
    assertThat(table.toString(StandardCharsets.UTF_8)).contains("; collector " + collector);
  }

  @Test
  void eachPhaseReportsTheWalItsClosuresWroteOnAverage() {
    Map<String, Object> map = report(50, 48.0).toMap();

    // 21 MB over the closed loop's 1 000 closures, 5 MB over the open loop's 200.
    assertThat(map).containsEntry("walBytesPerClosure", 21_000L);
    @SuppressWarnings("unchecked")
    Map<String, Object> open = (Map<String, Object>) map.get("openLoopCosts");
    assertThat(open).containsEntry("walBytesPerClosure", 25_000L);
  }

  @Test
  void eachPhaseReportsTheCollectionsVacuumsAndCheckpointsThatRanBesideItsClosures() {
    BenchReport report = report(50, 48.0);
    Map<String, Object> map = report.toMap();

    assertThat(map)
        .containsEntry(
            "housekeeping",
            Map.of(
                "collections", 40L,
                "collectionMillis", 320L,
                "vacuums", 6L,
                "vacuumsByTable", Map.of("audit_pending", 5L, "closure_steps", 1L),
                "checkpoints", 1L));
    @SuppressWarnings("unchecked")
    Map<String, Object> open = (Map<String, Object>) map.get("openLoopCosts");
    assertThat(open)
        .containsEntry(
            "housekeeping",
            Map.of(
                "collections", 9L,
                "collectionMillis", 97L,
                "vacuums", 2L,
                "vacuumsByTable", Map.of("audit_pending", 2L),
                "checkpoints", 0L));
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    report.printTable(new PrintStream(table, true, StandardCharsets.UTF_8));
    assertThat(table.toString(StandardCharsets.UTF_8))
        .contains(
            "beside it: 9 collections of the JVM (97 ms), 2 vacuum passes of Closeout's tables"
                + " {audit_pending=2}, 0 checkpoints");
  }

  @Test
  void eachPhaseReportsTheMachinesStallsApartFromCollectionsAndTheSlowCasesInFlightDuringThem() {
    BenchReport report = report(50, 48.0);
    Map<String, Object> map = report.toMap();

    @SuppressWarnings("unchecked")
    Map<String, Object> closed = (Map<String, Object>) map.get("machineStalls");
    assertThat(closed)
        .containsEntry("realTimeProbe", false)
        .containsEntry("stalls", 0)
        .containsEntry("casesOver50Millis", 10)
        .containsEntry("casesOver50MillisInFlightDuringAStall", 0);
    @SuppressWarnings("unchecked")
    Map<String, Object> open =
        (Map<String, Object>) ((Map<String, Object>) map.get("openLoopCosts")).get("machineStalls");
    assertThat(open)
        .containsEntry("realTimeProbe", true)
        .containsEntry("stalls", 2)
        .containsEntry("over50Millis", 1)
        .containsEntry("longestMillis", 81.36)
        .containsEntry("stalledMillis", 96.86)
        .containsEntry("duringCollections", 1)
        .containsEntry("casesOver50Millis", 6)
        .containsEntry("casesOver50MillisInFlightDuringAStall", 4)
        .containsEntry("casesInFlightDuringNone", 140)
        .containsEntry("p99OfThoseMillis", 38.5);
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    report.printTable(new PrintStream(table, true, StandardCharsets.UTF_8));
    assertThat(table.toString(StandardCharsets.UTF_8))
        .contains(
            "the machine meanwhile: 2 stalls of 10 ms or more of a probe thread at real-time"
                + " priority (1 over 50 ms, longest 81.36 ms, 96.86 ms in all; 1 more during"
                + " collections); 4 of the 6 cases over 50 ms were in flight during one; p99 of"
                + " the 140 cases in flight during none 38.50 ms");
  }

  @Test
  void theOpenLoopPhaseReportsHowTheStoresDiskFlushedAndNothingWhereNoProbeRan() {
    Map<String, Object> map = report(50, 48.0).toMap();

    assertThat(map).containsEntry("diskFlushes", null);
    @SuppressWarnings("unchecked")
    Map<String, Object> open = (Map<String, Object>) map.get("openLoopCosts");
    assertThat(open)
        .containsEntry(
            "diskFlushes",
            Map.of(
                "count", 1_500,
                "p50Millis", 0.12,
                "p99Millis", 3.4,
                "maxMillis", 191.8,
                "over50Millis", 2));
  }

  private static BenchReport.Goal goal(BenchReport report, String name) {
    return report.goals().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
  }

  private static BenchReport report(int openLoopPercent, double openLoopP99) {
    return report(openLoopPercent, 0, openLoopP99);
  }

  private static BenchReport report(
      int openLoopPercent, double openLoopP99, CountingDataSource.Counts openLoopCounts) {
    return report(openLoopPercent, 0, openLoopP99, openLoopCounts);
  }

  private static BenchReport report(int openLoopPercent, int openLoopRate, double openLoopP99) {
    return report(
        openLoopPercent,
        openLoopRate,
        openLoopP99,
        new CountingDataSource.Counts(1_200, 300, 60, 60, 40, Map.of("SELECT", 400L)));
  }

  private static BenchReport report(
      int openLoopPercent,
      int openLoopRate,
      double openLoopP99,
      CountingDataSource.Counts openLoopCounts) {
    BenchSettings settings =
        new BenchSettings(1_000, 0, 8, 32, 128, 20, 2, 15, 100, openLoopPercent, openLoopRate);
    ClosureTimings.Figures closedLoop =
        new ClosureTimings.Figures(1_000, 900, 800.0, 1.1, 100.0, 300.0, false, List.of());
    ClosureTimings.Figures openLoop =
        new ClosureTimings.Figures(
            200,
            150,
            200.0,
            1.0,
            20.0,
            openLoopP99,
            false,
            List.of(new ClosureTimings.Leg("intake", 150, 5.0, 12.0)));
    CloseoutRun run =
        new CloseoutRun(
            closedLoop,
            0.2,
            new CountingDataSource.Counts(5_000, 1_000, 200, 200, 150, Map.of()),
            Map.of("INSERT closures", 1_000L),
            1_000,
            300.0,
            12.0,
            800.0 * openLoopPercent / 100,
            openLoop,
            new CpuMeter.Cost(2.0, 3.0, 0.9),
            openLoopCounts,
            200,
            new CpuMeter.Cost(4.0, 6.0, Double.NaN),
            new OpenLoopWarmup(2, 21.5, 0.03, true),
            21_000_000L,
            5_000_000L,
            DiskFlushProbe.Flushes.NONE,
            new DiskFlushProbe.Flushes(1_500, 0.12, 3.4, 191.8, 2),
            new Housekeeping(40, 320, Map.of("audit_pending", 5L, "closure_steps", 1L), 1),
            new Housekeeping(9, 97, Map.of("audit_pending", 2L), 0),
            new MachineStallProbe.PhaseStalls(
                new MachineStallProbe.Stalls(false, 1_000, List.of()),
                new ClosureTimings.StallShare(900, 10, 0, 900, 300.0)),
            new MachineStallProbe.PhaseStalls(
                new MachineStallProbe.Stalls(
                    true,
                    20_000,
                    List.of(
                        new MachineStallProbe.Stall(0, 81_360_000L, false),
                        new MachineStallProbe.Stall(1_000_000_000L, 1_012_000_000L, true),
                        new MachineStallProbe.Stall(2_000_000_000L, 2_015_500_000L, false))),
                new ClosureTimings.StallShare(150, 6, 4, 140, 38.5)),
            150);
    return new BenchReport(
        "embedded",
        settings,
        run,
        null,
        1_200.0,
        WriteCeiling.Plan.of(Map.of("INSERT closures", 1_000L), 200, 1_000));
  }
}
