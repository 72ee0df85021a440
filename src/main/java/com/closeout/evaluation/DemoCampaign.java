package com.closeout.evaluation;

import com.closeout.propagation.EngineSettings;
import com.closeout.sandbox.SandboxSystems;
import java.time.Instant;
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
   * Runs one campaign. {@code runTag} keeps its escalation ids apart from earlier runs on the same
   * store; {@code start} is the campaign clock's start.
   */
  public CampaignReport run(int cases, long seed, String runTag, Instant start) {
    return campaign.run(new CampaignSpec(cases, seed, FaultProfile.FLAKY), runTag, start);
  }
}
