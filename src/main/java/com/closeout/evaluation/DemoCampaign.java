package com.closeout.evaluation;

import com.closeout.propagation.EngineSettings;
import com.closeout.sandbox.SandboxControl;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.targets.TargetPorts;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The demo: a {@link Campaign} with the light {@code flaky} profile on the service's own store and
 * sandbox, so what it did can be looked at afterwards through the API and the other commands.
 */
public final class DemoCampaign {
  private final Campaign campaign;

  public DemoCampaign(DataSource dataSource, SandboxSystems sandbox, EngineSettings settings) {
    this.campaign = new Campaign(dataSource, sandbox, settings);
  }

  /**
   * A campaign whose engine reaches the systems through {@code ports} (e.g. the REST adapters
   * against a sandbox server), given the campaign's clock; {@code sandbox} sets them up and
   * inspects them.
   */
  public DemoCampaign(
      DataSource dataSource,
      SandboxControl sandbox,
      Function<Clock, TargetPorts> ports,
      EngineSettings settings) {
    this.campaign = new Campaign(dataSource, sandbox, ports, settings, null);
  }

  /**
   * Runs one campaign. {@code runTag} keeps its escalation ids apart from earlier runs on the same
   * store; {@code start} is the campaign clock's start.
   */
  public CampaignReport run(int cases, long seed, String runTag, Instant start) {
    return campaign.run(new CampaignSpec(cases, seed, FaultProfile.FLAKY), runTag, start);
  }
}
