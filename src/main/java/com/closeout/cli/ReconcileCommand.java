package com.closeout.cli;

import com.closeout.audit.Drift;
import com.closeout.audit.DriftReconciliation;
import com.closeout.audit.DriftReport;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/** One reconciliation pass (SPEC §6): exit 1 when anything drifted or could not be checked. */
final class ReconcileCommand implements CliCommand {
  private static final Duration DEFAULT_LOOKBACK = Duration.ofDays(7);

  @Override
  public String name() {
    return "reconcile";
  }

  @Override
  public String usage() {
    return "reconcile [--since INSTANT] [--json]";
  }

  @Override
  public String summary() {
    return "compare finalized records with the targets and report drift (lost events)";
  }

  @Override
  public int run(List<String> args, CommandContext context) throws UsageException {
    Arguments arguments = Arguments.parse(args, Set.of("--json"), Set.of("--since"));
    arguments.expectPositionals(0, "");
    Instant since;
    try {
      since = arguments.option("--since").map(Instant::parse).orElse(null);
    } catch (DateTimeParseException e) {
      throw new UsageException("--since takes an ISO instant, e.g. 2026-11-20T00:00:00Z");
    }
    Services services = context.services();
    DriftReconciliation reconciliation =
        services
            .find(DriftReconciliation.class)
            .orElseThrow(() -> new IllegalStateException("this build has no reconciliation"));
    Instant from = since != null ? since : services.clock().instant().minus(DEFAULT_LOOKBACK);
    DriftReport report = reconciliation.reconcile(from);
    if (arguments.flag("--json")) {
      context.out().println(JsonMapper.builder().build().writeValueAsString(report));
    } else {
      context
          .out()
          .printf(
              "checked %d finalized records since %s: %d drifted, %d unreachable%n",
              report.recordsChecked(), from, report.drift().size(), report.unreachable().size());
      for (Drift drift : report.drift()) {
        context
            .out()
            .printf(
                "  %-24s v%-3d %-10s open in %s (closure %s)%n",
                drift.escalationId(),
                drift.dispositionVersion(),
                drift.kind(),
                drift.openDownstream(),
                drift.closureStatus());
      }
      report.unreachable().forEach(u -> context.out().printf("  could not check: %s%n", u));
    }
    return report.clean() ? OK : FAILED;
  }
}
