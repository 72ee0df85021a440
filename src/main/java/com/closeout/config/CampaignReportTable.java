package com.closeout.config;

import com.closeout.evaluation.CampaignReport;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** A campaign report as the console shows it: measures, then per kind, per fault, problems. */
final class CampaignReportTable {
  private CampaignReportTable() {}

  static void print(String title, CampaignReport r, PrintStream out) {
    out.printf("%s — seed %d, run %s%n%n", title, r.seed(), r.runTag());
    row(out, "profile", r.profile());
    row(out, "instances", r.instances());
    if (r.outage() != null) {
      row(out, "outage", r.outage());
    }
    row(out, "cases", r.cases());
    row(out, "clean", r.clean());
    row(out, "completed without repair", r.completedWithoutRepair());
    row(out, "completion rate", percent(r.completionRate()));
    row(out, "lost closures", r.lostClosures());
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
    row(out, "drift reported", r.driftReported());
    row(out, "closures per second", String.format(Locale.ROOT, "%.1f", r.closuresPerSecond()));
    row(out, "p50 ms", String.format(Locale.ROOT, "%.1f", r.p50Millis()));
    row(out, "p99 ms", String.format(Locale.ROOT, "%.1f", r.p99Millis()));
    row(out, "wall seconds", String.format(Locale.ROOT, "%.1f", r.wallSeconds()));
    if (!r.byKind().isEmpty()) {
      out.println();
      out.printf("%-28s %6s %12s%n", "case kind", "cases", "as expected");
      for (Map.Entry<String, CampaignReport.KindResult> kind :
          new java.util.TreeMap<>(r.byKind()).entrySet()) {
        out.printf(
            "%-28s %6d %12d%n",
            kind.getKey(), kind.getValue().cases(), kind.getValue().asExpected());
      }
    }
    if (!r.byFault().isEmpty()) {
      out.println();
      out.printf("%-28s %8s %6s %10s%n", "fault", "injected", "cases", "recovered");
      for (Map.Entry<String, CampaignReport.FaultResult> fault :
          new java.util.TreeMap<>(r.byFault()).entrySet()) {
        out.printf(
            "%-28s %8d %6d %10d%n",
            fault.getKey(),
            fault.getValue().injected(),
            fault.getValue().cases(),
            fault.getValue().recovered());
      }
    }
    out.println();
    if (r.passed()) {
      out.println("every invariant held");
    } else {
      out.println("BROKEN INVARIANTS:");
      for (CampaignReport.Problem problem : r.problems()) {
        out.println("  " + problem.escalationId() + ": " + problem.what());
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
