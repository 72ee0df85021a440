package com.closeout.config;

import com.closeout.config.TargetsProperties.TargetKind;
import com.closeout.config.TargetsProperties.TargetProperties;
import com.closeout.domain.TargetSystem;
import com.closeout.targets.jira.JiraEscalationTracker;
import com.closeout.targets.jira.JiraProbe;
import com.closeout.targets.jira.JiraSettings;
import com.closeout.targets.resilience.ConfiguredTargets;
import com.closeout.targets.resilience.TargetGuard;
import com.closeout.targets.rest.ContractClient;
import com.closeout.targets.rest.RestEndpoint;
import com.closeout.targets.servicenow.ServiceNowCaseLedger;
import com.closeout.targets.servicenow.ServiceNowProbe;
import com.closeout.targets.servicenow.ServiceNowSettings;
import java.time.Clock;
import java.util.Map;

/**
 * The vendor kinds: Jira as the tracker, ServiceNow as the ledger, Slack or Teams as the
 * notification channel, S3 as the archive ({@link SlackTeamsS3Properties}). Each takes the system's
 * endpoint (base URL, credentials, timeouts) from {@code closeout.targets.<system>.*} and its own
 * settings from {@link VendorSettings}; its guard is the system's like any other kind.
 */
final class VendorAssembly {
  record Built(Object port, ConfiguredTargets.Target target) {}

  private VendorAssembly() {}

  static boolean isVendor(TargetKind kind) {
    return kind == TargetKind.JIRA
        || kind == TargetKind.SERVICENOW
        || SlackTeamsS3Properties.handles(kind);
  }

  static Built build(
      TargetSystem system,
      TargetProperties target,
      VendorSettings vendors,
      TargetGuard guard,
      Clock clock,
      Map<String, String> environment) {
    TargetKind kind = target.kind();
    if (SlackTeamsS3Properties.handles(kind)) {
      SlackTeamsS3Properties.Connector connector =
          vendors
              .chatAndArchive()
              .connector(system, target, vendors.noticeDeliveries(), clock, environment);
      return new Built(
          connector.port(),
          new ConfiguredTargets.Target(
              system, kind.configName(), connector.baseUrl(), guard, connector.check()));
    }
    if (kind == TargetKind.JIRA) {
      if (system != TargetSystem.TRACKER) {
        throw new IllegalStateException(
            "closeout.targets." + system.wireName() + ".kind=jira: Jira serves only the tracker");
      }
      JiraSettings settings = vendors.jira().settings();
      RestEndpoint endpoint = target.endpoint(system, environment);
      ContractClient client = new ContractClient(endpoint, clock);
      return new Built(
          new JiraEscalationTracker(client, settings),
          new ConfiguredTargets.Target(
              system,
              kind.configName(),
              endpoint.baseUrl(),
              guard,
              () -> JiraProbe.check(client, settings)));
    }
    if (kind == TargetKind.SERVICENOW) {
      if (system != TargetSystem.LEDGER) {
        throw new IllegalStateException(
            "closeout.targets."
                + system.wireName()
                + ".kind=servicenow: ServiceNow serves only the ledger");
      }
      ServiceNowSettings settings = vendors.serviceNow().settings();
      RestEndpoint endpoint = target.endpoint(system, environment);
      ContractClient client = new ContractClient(endpoint, clock);
      return new Built(
          new ServiceNowCaseLedger(client, settings),
          new ConfiguredTargets.Target(
              system,
              kind.configName(),
              endpoint.baseUrl(),
              guard,
              () -> ServiceNowProbe.check(client, settings)));
    }
    throw new IllegalArgumentException("not a vendor kind: " + kind.configName());
  }
}
