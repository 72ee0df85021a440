package com.closeout.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.closeout.testsupport.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A tiny run of the whole harness: the figures are sane and the store traffic was counted. */
class BenchmarkTests {

  @Test
  void tinyRunReportsSaneFiguresAndCountsCommitsAndStatements(@TempDir Path dir) throws Exception {
    Path trace = dir.resolve("open-loop.csv");
    BenchReport report = tinyRun(Optional.of(trace), Optional.empty());

    CloseoutRun closeout = report.closeout();
    assertThat(closeout.figures().closures()).isEqualTo(40);
    // The open-loop phase's cases, each past every mark (clean cases), numbered after the 40.
    List<String> traced = Files.readAllLines(trace);
    assertThat(traced).hasSize(1 + closeout.halfRateFigures().closures());
    assertThat(traced.get(1)).startsWith("40,").doesNotContain(",,").doesNotEndWith(",");
    assertThat(closeout.figures().closuresPerSecond()).isPositive();
    assertThat(closeout.figures().p50Millis())
        .isPositive()
        .isLessThanOrEqualTo(closeout.figures().p99Millis());
    assertThat(closeout.halfRateFigures().p99Millis()).isPositive();
    // Every clean case passes every mark, so each leg is measured over the measured cases.
    assertThat(closeout.halfRateFigures().legs())
        .extracting(ClosureTimings.Leg::name)
        .containsExactlyElementsOf(ClosureTimingsTests.LEGS);
    assertThat(closeout.halfRateFigures().legs())
        .allSatisfy(
            leg -> {
              assertThat(leg.cases()).isEqualTo(closeout.halfRateFigures().measured());
              assertThat(leg.p50Millis()).isNotNegative().isLessThanOrEqualTo(leg.p99Millis());
            });
    assertThat(closeout.statementsPerClosure()).isGreaterThan(1);
    assertThat(closeout.commitsPerClosure()).isPositive();
    assertThat(closeout.jdbcCommitsPerClosure()).isPositive();
    assertThat(closeout.peakHeapMiB()).isPositive();
    assertThat(closeout.cpu().jvmMillis()).isPositive();
    assertThat(closeout.halfRateClosures()).isEqualTo(closeout.halfRateFigures().closures());
    assertThat(closeout.halfRateCounts().statements()).isGreaterThan(closeout.halfRateClosures());
    assertThat(closeout.halfRateCpu().jvmMillis()).isPositive();
    // The open loop's first event finds nothing waiting for a claim: intake hands it over.
    assertThat(closeout.halfRateHandedOver()).isBetween(1L, (long) closeout.halfRateClosures());
    // An unmeasured open loop ran first, in parts, until the JIT settled (or six parts).
    assertThat(closeout.openLoopWarmup().parts()).isBetween(1, 6);
    assertThat(closeout.openLoopWarmup().seconds()).isPositive();
    assertThat(closeout.heapAfterGcMiB()).isPositive();
    assertThat(report.ceilingClosuresPerSecond()).isPositive();
    assertThat(report.ceilingPlan().writeSet())
        .containsKeys(
            "INSERT inbox",
            "INSERT closures",
            "INSERT closure_step_priors",
            "INSERT audit_pending",
            "DELETE audit_pending",
            "INSERT audit_entries",
            "UPDATE audit_head");
    // Every append was chained before the rows were counted; an append is a group commit's
    // entries, so there are fewer appends than entries.
    assertThat(report.ceilingPlan().writeSet().get("DELETE audit_pending"))
        .isEqualTo(report.ceilingPlan().writeSet().get("INSERT audit_pending"))
        .isLessThan(report.ceilingPlan().writeSet().get("INSERT audit_entries"));
    assertThat(report.ceilingPlan().writeSet().get("INSERT closures")).isEqualTo(1.0);
    assertThat(report.ceilingPlan().writeSet().get("INSERT closure_steps")).isEqualTo(6.0);
    assertThat(report.ceilingPlan().unmodelled()).isEmpty();

    JsonNode json = JsonMapper.builder().build().readTree(report.toJson());
    for (String field :
        new String[] {
          "closuresPerSecond",
          "p50Millis",
          "p99Millis",
          "p99AtHalfRateMillis",
          "commitsPerClosure",
          "statementsPerClosure",
          "peakHeapMiB"
        }) {
      assertThat(json.path(field).isNumber()).as(field).isTrue();
    }
    assertThat(json.path("peer").isNull()).isTrue();
    assertThat(json.path("vsPeer").isNull()).isTrue();
    assertThat(json.path("ceiling").path("closuresPerSecond").asDouble()).isPositive();
    assertThat(json.path("vsCeiling").asDouble()).isPositive();
    assertThat(json.path("goals").path("commitsPerClosure").has("met")).isTrue();
  }

  /**
   * 40 closures on the tests' server, no peer, the open loop for a second.
   *
   * @param kafkaBootstrap a broker for the open-loop phase, if any
   */
  static BenchReport tinyRun(Optional<Path> trace, Optional<String> kafkaBootstrap)
      throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    try (BenchDatabase database = BenchDatabase.of(TestDatabase.server())) {
      return new Benchmark(
              database,
              "test",
              Optional.empty(),
              new PrintStream(progress, true, StandardCharsets.UTF_8),
              trace,
              kafkaBootstrap)
          .run(new BenchSettings(40, 0, 4, 8, 16, 1, 2, 0, 40, 50, 0));
    }
  }

  @Test
  void statementsAreSortedIntoTheTableTheyWrite() {
    assertThat(CountingDataSource.kindOf("INSERT INTO audit_entries (sequence) VALUES (?)"))
        .isEqualTo("INSERT audit_entries");
    assertThat(
            CountingDataSource.kindOf(
                "WITH candidates AS (SELECT id FROM closures FOR UPDATE SKIP LOCKED)"
                    + " UPDATE closures SET status = 'RUNNING' WHERE id IN (SELECT id FROM c)"))
        .isEqualTo("UPDATE closures");
    assertThat(CountingDataSource.kindOf("SELECT sequence FROM audit_head FOR UPDATE"))
        .isEqualTo("SELECT");
    assertThat(CountingDataSource.kindOf("\n  DELETE FROM inbox WHERE event_id = ?"))
        .isEqualTo("DELETE inbox");
    assertThat(CountingDataSource.kindOf("SET search_path TO x")).isEqualTo("OTHER");
    // A group's held writes sent with its commit: each statement counts, the COMMIT does not.
    assertThat(
            CountingDataSource.kindsOf(
                "WITH changed AS (UPDATE closure_steps s SET status = ? RETURNING 1)"
                    + " SELECT closeout_expect_rows(?, (SELECT count(*) FROM changed), ?);\n"
                    + "INSERT INTO audit_pending (append_id) VALUES (?);\nCOMMIT"))
        .containsExactly("UPDATE closure_steps", "INSERT audit_pending");
  }

  @Test
  void theCeilingWritesEveryKindOfTheStoresWriteSetIncludingForgottenPriorValuesBothWays()
      throws Exception {
    // Every closure records five steps' prior values and every other closure forgets one: the
    // set-based statements check each one's row count, so a delete that finds nothing fails.
    WriteCeiling.Plan plan =
        new WriteCeiling.Plan(
            Map.ofEntries(
                Map.entry("INSERT inbox", 1.0),
                Map.entry("INSERT closures", 1.0),
                Map.entry("INSERT closure_steps", 6.0),
                Map.entry("INSERT closure_step_priors", 5.0),
                Map.entry("DELETE closure_step_priors", 0.5),
                Map.entry("INSERT audit_pending", 2.0),
                Map.entry("DELETE audit_pending", 2.0),
                Map.entry("INSERT audit_entries", 10.0),
                Map.entry("INSERT completion_records", 1.0),
                Map.entry("UPDATE closures", 2.0),
                Map.entry("UPDATE closure_steps", 6.0),
                Map.entry("UPDATE inbox", 1.0),
                Map.entry("UPDATE audit_head", 0.5)),
            1.5);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();

    double rate;
    try (BenchDatabase database = BenchDatabase.of(TestDatabase.server())) {
      rate =
          new WriteCeiling(database, new PrintStream(progress, true, StandardCharsets.UTF_8))
              .run(plan, 40, 2);
    }

    assertThat(plan.unmodelled()).isEmpty();
    assertThat(rate).isPositive();
    assertThat(progress.toString(StandardCharsets.UTF_8))
        .contains("JDBC_BATCH: ")
        .contains("SET_BASED: ");
  }

  @Test
  void ceilingClosuresShareOutAFractionalTransactionCountInWholeTransactions() {
    WriteCeiling.Plan plan = new WriteCeiling.Plan(Map.of(), 1.5);

    assertThat(List.of(plan.transactionsOf(0), plan.transactionsOf(1), plan.transactionsOf(2)))
        .containsExactly(1, 2, 1);
    assertThat(
            plan.transactionsOf(0)
                + plan.transactionsOf(1)
                + plan.transactionsOf(2)
                + plan.transactionsOf(3))
        .isEqualTo(6);
  }

  @Test
  void ceilingPlanKeepsTheMeasuredWriteSetPerClosureToTwoDecimals() {
    WriteCeiling.Plan plan =
        WriteCeiling.Plan.of(
            Map.of(
                "INSERT inbox",
                10L,
                "UPDATE closures",
                24L,
                "UPDATE audit_head",
                3L,
                "INSERT x",
                10L),
            30,
            10);

    assertThat(plan.writeSet())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "INSERT inbox",
                1.0,
                "UPDATE closures",
                2.4,
                "UPDATE audit_head",
                0.3,
                "INSERT x",
                1.0));
    assertThat(plan.transactions()).isEqualTo(3.0);
    assertThat(plan.unmodelled()).containsExactly("INSERT x");
  }

  @Test
  void ceilingClosuresShareOutFractionalRowsInWholeRows() {
    WriteCeiling.Plan plan = new WriteCeiling.Plan(Map.of("UPDATE audit_head", 0.25), 1);

    int total = 0;
    for (int i = 0; i < 100; i++) {
      int rows = plan.rowsOf("UPDATE audit_head", i);
      assertThat(rows).isBetween(0, 1);
      total += rows;
    }
    assertThat(total).isEqualTo(25);
    assertThat(plan.rowsOf("INSERT inbox", 7)).isZero();
  }

  @Test
  void ceilingGroupsClosuresIntoSharedTransactionsWhenTheyHadLessThanOneEach() {
    WriteCeiling.Plan plan = new WriteCeiling.Plan(Map.of(), 0.25);

    List<WriteCeiling.Unit> units = plan.units(10, 110);

    assertThat(units).hasSize(25);
    assertThat(units).allSatisfy(unit -> assertThat(unit.transactions()).isEqualTo(1));
    assertThat(units.get(0).from()).isEqualTo(10);
    assertThat(units.get(units.size() - 1).to()).isEqualTo(110);
    for (int u = 1; u < units.size(); u++) {
      assertThat(units.get(u).from()).isEqualTo(units.get(u - 1).to());
    }
  }

  @Test
  void ceilingGivesEachClosureItsOwnTransactionsWhenItHadOneOrMore() {
    WriteCeiling.Plan plan = new WriteCeiling.Plan(Map.of(), 1.5);

    assertThat(plan.units(0, 4))
        .extracting(WriteCeiling.Unit::transactions)
        .containsExactly(1, 2, 1, 2);
  }
}
