package com.closeout.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.closeout.config.TargetsProperties.TargetKind;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.targets.resilience.ConfiguredTargets;
import com.closeout.targets.servicenow.ServiceNowSettings.ClosedAtFormat;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class VendorTargetsConfigurationTests {
  private static ConfiguredTargets assemble(Map<String, String> properties) {
    Binder binder = new Binder(new MapConfigurationPropertySource(properties));
    return TargetsAssembly.assemble(
        binder.bindOrCreate("closeout.targets", TargetsProperties.class),
        new VendorSettings(
            binder.bindOrCreate("closeout.targets.tracker.jira", JiraProperties.class),
            binder.bindOrCreate("closeout.targets.ledger.servicenow", ServiceNowProperties.class)),
        new SandboxSystems(),
        Clock.systemUTC(),
        Map.of("JIRA_TOKEN", "t", "SN_TOKEN", "s"));
  }

  private static Map<String, String> jiraAndServiceNow() {
    Map<String, String> p = new HashMap<>();
    p.put("closeout.targets.tracker.kind", "jira");
    p.put("closeout.targets.tracker.base-url", "https://example.atlassian.net");
    p.put("closeout.targets.tracker.auth.type", "basic");
    p.put("closeout.targets.tracker.auth.username", "closeout@example.com");
    p.put("closeout.targets.tracker.auth.password-env", "JIRA_TOKEN");
    p.put("closeout.targets.tracker.jira.project", "SUP");
    p.put("closeout.targets.tracker.jira.escalation-id-field", "customfield_10040");
    p.put("closeout.targets.tracker.jira.episode-id-field", "customfield_10041");
    p.put("closeout.targets.tracker.jira.disposition-version-field", "customfield_10042");
    p.put("closeout.targets.tracker.jira.closed-at-field", "customfield_10043");
    p.put("closeout.targets.tracker.jira.review-complete-status", "Review Complete");
    p.put("closeout.targets.ledger.kind", "servicenow");
    p.put("closeout.targets.ledger.base-url", "https://example.service-now.com");
    p.put("closeout.targets.ledger.auth.type", "bearer");
    p.put("closeout.targets.ledger.auth.token-env", "SN_TOKEN");
    p.put("closeout.targets.ledger.servicenow.table", "u_support_case");
    p.put("closeout.targets.ledger.servicenow.closed-at-format", "iso-8601");
    return p;
  }

  @Test
  void trackerOnJiraAndLedgerOnServiceNowAreChosenPerSystemBesideTheSandbox() {
    ConfiguredTargets targets = assemble(jiraAndServiceNow());

    assertThat(targets.statuses())
        .extracting(s -> s.system() + "=" + s.kind())
        .containsExactly(
            "review=sandbox",
            "tracker=jira",
            "ledger=servicenow",
            "queue=sandbox",
            "archive=sandbox",
            "notification=sandbox");
    assertThat(targets.statuses())
        .filteredOn(s -> s.system().equals("tracker"))
        .singleElement()
        .satisfies(s -> assertThat(s.baseUrl()).isEqualTo("https://example.atlassian.net"));
    assertThat(TargetKind.SERVICENOW.configName()).isEqualTo("servicenow");
  }

  @Test
  void vendorSettingsBindWithDefaultsForTheServiceNowColumns() {
    Binder binder = new Binder(new MapConfigurationPropertySource(jiraAndServiceNow()));
    var serviceNow =
        binder
            .bindOrCreate("closeout.targets.ledger.servicenow", ServiceNowProperties.class)
            .settings();
    var jira =
        binder.bindOrCreate("closeout.targets.tracker.jira", JiraProperties.class).settings();

    assertThat(serviceNow.escalationIdColumn()).isEqualTo("u_escalation_id");
    assertThat(serviceNow.closedAtFormat()).isEqualTo(ClosedAtFormat.ISO_8601);
    assertThat(jira.pageSize()).isEqualTo(50);
    assertThat(jira.notifyUsers()).isFalse();
  }

  @Test
  void aVendorKindOnASystemItDoesNotServeIsRefusedAtStartUp() {
    Map<String, String> p = jiraAndServiceNow();
    p.put("closeout.targets.queue.kind", "jira");
    p.put("closeout.targets.queue.base-url", "https://example.atlassian.net");

    assertThatThrownBy(() -> assemble(p))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closeout.targets.queue.kind=jira: Jira serves only the tracker");
  }

  @Test
  void aMissingOrMalformedVendorSettingNamesItsProperty() {
    Map<String, String> noProject = jiraAndServiceNow();
    noProject.remove("closeout.targets.tracker.jira.project");
    Map<String, String> badField = jiraAndServiceNow();
    badField.put("closeout.targets.tracker.jira.closed-at-field", "Closed at");
    Map<String, String> noTable = jiraAndServiceNow();
    noTable.remove("closeout.targets.ledger.servicenow.table");

    assertThatThrownBy(() -> assemble(noProject))
        .hasMessageContaining("closeout.targets.tracker.jira.project is required");
    assertThatThrownBy(() -> assemble(badField))
        .hasMessageContaining(
            "closeout.targets.tracker.jira.closed-at-field must be a custom field id");
    assertThatThrownBy(() -> assemble(noTable))
        .hasMessageContaining("closeout.targets.ledger.servicenow.table is required");
  }

  @Test
  void aVendorSecretComesFromTheEnvironmentAndAMissingOneIsNamedNotGuessed() {
    Map<String, String> p = jiraAndServiceNow();
    p.put("closeout.targets.tracker.auth.password-env", "UNSET_JIRA_TOKEN");

    assertThatThrownBy(() -> assemble(p))
        .hasMessageContaining("environment variable UNSET_JIRA_TOKEN is not set");
  }
}
