package com.closeout.config;

import com.closeout.cli.DemoLauncher;
import com.closeout.cli.DemoOptions;
import com.closeout.evaluation.CampaignReport;
import com.closeout.evaluation.DemoCampaign;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code demo} command's campaign on the service's own store and sandbox, so that what it did
 * can be looked at afterwards through {@code serve}'s API and the other commands.
 */
public final class DemoCampaignLauncher implements DemoLauncher {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final DemoCampaign campaign;
  private final Clock clock;

  public DemoCampaignLauncher(DemoCampaign campaign, Clock clock) {
    this.campaign = campaign;
    this.clock = clock;
  }

  @Override
  public int run(DemoOptions options, PrintStream out, PrintStream err) {
    // A tag per run keeps this run's escalations apart from earlier runs on the same store.
    String runTag = Long.toString(clock.millis(), 36);
    err.printf(
        "closeout demo: %d cases, seed %d, run %s ...%n", options.cases(), options.seed(), runTag);
    CampaignReport report = campaign.run(options.cases(), options.seed(), runTag, clock.instant());
    if (options.json()) {
      out.println(JSON.writeValueAsString(report));
    } else {
      printTable(report, out);
    }
    return 0;
  }

  static void printTable(CampaignReport r, PrintStream out) {
    out.printf("Closeout demo — seed %d, run %s%n%n", r.seed(), r.runTag());
    row(out, "cases", r.cases());
    row(out, "clean", r.clean());
    row(out, "completed without repair", r.completedWithoutRepair());
    row(out, "completion rate", percent(r.completionRate()));
    row(out, "anomalies", r.anomalies());
    row(out, "anomalies caught", r.anomaliesCaught());
    row(out, "detection rate", percent(r.detectionRate()));
    row(out, "false propagations", r.falsePropagations());
    row(out, "audit complete rate", percent(r.auditCompleteRate()));
    row(out, "audit chain valid", r.auditChainValid());
    row(out, "faulted", r.faulted());
    row(out, "recovered", r.recovered());
    row(out, "recovery rate", percent(r.recoveryRate()));
    row(out, "duplicate effects", r.duplicateEffects());
    row(out, "conflicting timestamps", r.conflictingTimestamps());
    row(out, "repeated links", r.repeatedLinks());
    row(out, "restricted leaks", r.restrictedLeaks());
    row(out, "closures per second", String.format(Locale.ROOT, "%.1f", r.closuresPerSecond()));
    row(out, "p50 ms", String.format(Locale.ROOT, "%.1f", r.p50Millis()));
    row(out, "p99 ms", String.format(Locale.ROOT, "%.1f", r.p99Millis()));
    if (r.byKind() != null && !r.byKind().isEmpty()) {
      out.println();
      out.printf("%-28s %6s %12s%n", "case kind", "cases", "as expected");
      for (Map.Entry<String, CampaignReport.KindResult> kind : r.byKind().entrySet()) {
        out.printf(
            "%-28s %6d %12d%n",
            kind.getKey(), kind.getValue().cases(), kind.getValue().asExpected());
      }
    }
  }

  private static void row(PrintStream out, String name, Object value) {
    out.printf("%-28s %s%n", name, value);
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
  }
}
