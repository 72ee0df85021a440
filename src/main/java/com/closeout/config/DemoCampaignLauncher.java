package com.closeout.config;

import com.closeout.cli.DemoLauncher;
import com.closeout.cli.DemoOptions;
import com.closeout.evaluation.CampaignReport;
import com.closeout.evaluation.DemoCampaign;
import java.io.PrintStream;
import java.time.Clock;
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
    CampaignReportTable.print("Closeout demo", r, out);
  }
}
