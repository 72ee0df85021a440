package com.closeout.config;

import com.closeout.cli.DemoLauncher;
import com.closeout.cli.DemoOptions;
import com.closeout.evaluation.CampaignReport;
import com.closeout.evaluation.DemoCampaign;
import com.closeout.propagation.EngineSettings;
import com.closeout.sandbox.SandboxControl;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.sandbox.http.RemoteSandbox;
import com.closeout.sandbox.http.SandboxHttpServer;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code demo} command's campaign on the service's own store and sandbox, so that what it did
 * can be looked at afterwards through {@code serve}'s API and the other commands. With {@code
 * --targets http} the engine reaches the sandbox through the REST adapters, their breakers and rate
 * limiters, over loopback HTTP: to a sandbox server started here on a free port, or to the one at
 * {@code --sandbox-url}, set up and measured through its admin endpoints.
 */
public final class DemoCampaignLauncher implements DemoLauncher {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final DataSource dataSource;
  private final SandboxSystems sandbox;
  private final EngineSettings settings;
  private final TargetsProperties targets;
  private final Clock clock;

  public DemoCampaignLauncher(
      DataSource dataSource,
      SandboxSystems sandbox,
      EngineSettings settings,
      TargetsProperties targets,
      Clock clock) {
    this.dataSource = dataSource;
    this.sandbox = sandbox;
    this.settings = settings;
    this.targets = targets;
    this.clock = clock;
  }

  @Override
  public int run(DemoOptions options, PrintStream out, PrintStream err) {
    // A tag per run keeps this run's escalations apart from earlier runs on the same store.
    String runTag = Long.toString(clock.millis(), 36);
    err.printf(
        "closeout demo: %d cases, seed %d, run %s ...%n", options.cases(), options.seed(), runTag);
    CampaignReport report;
    if (options.targets() == DemoOptions.Targets.SANDBOX) {
      report =
          new DemoCampaign(dataSource, sandbox, settings)
              .run(options.cases(), options.seed(), runTag, clock.instant());
    } else if (options.sandboxUrl() != null) {
      err.printf("closeout demo: targets over HTTP at %s%n", options.sandboxUrl());
      report =
          overHttp(new RemoteSandbox(options.sandboxUrl()), options.sandboxUrl(), options, runTag);
    } else {
      try (SandboxHttpServer server = SandboxHttpServer.start(sandbox, 0)) {
        err.printf("closeout demo: targets over HTTP, sandbox server at %s%n", server.baseUrl());
        report = overHttp(sandbox, server.baseUrl(), options, runTag);
      }
    }
    if (options.json()) {
      out.println(JSON.writeValueAsString(report));
    } else {
      printTable(report, out);
    }
    return 0;
  }

  private CampaignReport overHttp(
      SandboxControl control, URI baseUrl, DemoOptions options, String runTag) {
    // The breakers take the campaign's simulated clock: an open one half-opens when the
    // campaign's time, not the wall clock, has moved on.
    DemoCampaign campaign =
        new DemoCampaign(
            dataSource,
            control,
            campaignClock ->
                TargetsAssembly.restOnOneServer(baseUrl, targets, campaignClock).ports(),
            settings);
    return campaign.run(options.cases(), options.seed(), runTag, clock.instant());
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
