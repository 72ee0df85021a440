package com.closeout.targets.vendors;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.closeout.config.JiraProperties;
import com.closeout.config.ServiceNowProperties;
import com.closeout.config.TargetsAssembly;
import com.closeout.config.TargetsProperties;
import com.closeout.config.VendorSettings;
import com.closeout.domain.DispositionEvent;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.SourceStatus;
import com.closeout.propagation.CloseoutEngine;
import com.closeout.propagation.CloseoutStores;
import com.closeout.propagation.EngineSettings;
import com.closeout.propagation.RevertOutcome;
import com.closeout.propagation.StepCommitListener;
import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.propagation.jdbc.JdbcCloseoutStores;
import com.closeout.sandbox.RestrictedContent;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.targets.jira.FakeJira;
import com.closeout.targets.resilience.ConfiguredTargets;
import com.closeout.targets.servicenow.FakeServiceNow;
import com.closeout.testsupport.CleanEscalation;
import com.closeout.testsupport.TestDatabase;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Real closures through the engine with the tracker on Jira (WireMock) and the ledger on ServiceNow
 * (WireMock), configured as an operator would, the other systems on the in-memory sandbox: a clean
 * closure, its revert, and a reopened escalation. Every request the two vendor adapters sent
 * (WireMock's journal: method, URL, headers, body) is free of restricted values, and so are the
 * logs; the credentials are in no log line either.
 */
class VendorCanaryTests {
  private static final Instant FINALIZED = Instant.parse("2026-11-20T10:14:58Z");
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-20T10:20:00Z"), ZoneOffset.UTC);

  @TempDir Path secrets;

  @Test
  void aClosureAndItsRevertOnJiraAndServiceNowSendNoRestrictedValueAnywhere() throws Exception {
    SandboxSystems sandbox = new SandboxSystems();
    CleanEscalation clean = CleanEscalation.loadInto(sandbox, "ESC-CANARY-1", FINALIZED);
    CleanEscalation reopened = CleanEscalation.loadInto(sandbox, "ESC-CANARY-2", FINALIZED);
    sandbox.putReview(
        new SourceRecord(
            reopened.id(),
            CleanEscalation.EPISODE,
            "SEV1",
            SourceStatus.REOPENED,
            DispositionEvent.CLOSURE_APPROVED,
            1,
            FINALIZED,
            reopened.archiveRefs()),
        new RestrictedContent(
            "TRANSCRIPT-CANARY-reopened",
            "CONCESSION-CANARY-reopened",
            "REVIEWER-CANARY-reopened",
            "Contact CANARY reopened",
            "canary-reopened@customer.example"));

    FakeJira jira = FakeJira.launch();
    FakeServiceNow now = FakeServiceNow.launch();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    try (IsolatedSchema schema = TestDatabase.freshSchema("vendorcanary")) {
      jira.put("SUP-1", "ESC-CANARY-1", "EP-1", "In Review");
      jira.put("SUP-2", "ESC-CANARY-2", "EP-1", "In Review");
      String cleanRow = now.put("ESC-CANARY-1", "EP-1", "open");
      String reopenedRow = now.put("ESC-CANARY-2", "EP-1", "open");
      Path passwordFile = secrets.resolve("servicenow-password");
      Files.writeString(passwordFile, FakeServiceNow.PASSWORD + "\n");

      Map<String, String> properties = new HashMap<>();
      properties.put("closeout.targets.tracker.kind", "jira");
      properties.put("closeout.targets.tracker.base-url", jira.baseUrl().toString());
      properties.put("closeout.targets.tracker.auth.type", "basic");
      properties.put("closeout.targets.tracker.auth.username", FakeJira.EMAIL);
      properties.put("closeout.targets.tracker.auth.password-env", "CLOSEOUT_JIRA_API_TOKEN");
      properties.put("closeout.targets.tracker.jira.project", FakeJira.PROJECT);
      properties.put("closeout.targets.tracker.jira.escalation-id-field", FakeJira.ESCALATION);
      properties.put("closeout.targets.tracker.jira.episode-id-field", FakeJira.EPISODE);
      properties.put("closeout.targets.tracker.jira.disposition-version-field", FakeJira.VERSION);
      properties.put("closeout.targets.tracker.jira.closed-at-field", FakeJira.CLOSED_AT);
      properties.put("closeout.targets.tracker.jira.review-complete-status", "Review Complete");
      properties.put("closeout.targets.ledger.kind", "servicenow");
      properties.put("closeout.targets.ledger.base-url", now.baseUrl().toString());
      properties.put("closeout.targets.ledger.auth.type", "basic");
      properties.put("closeout.targets.ledger.auth.username", FakeServiceNow.USER);
      properties.put("closeout.targets.ledger.auth.password-file", passwordFile.toString());
      properties.put("closeout.targets.ledger.servicenow.table", FakeServiceNow.TABLE);
      Binder binder = new Binder(new MapConfigurationPropertySource(properties));
      ConfiguredTargets targets =
          TargetsAssembly.assemble(
              binder.bindOrCreate("closeout.targets", TargetsProperties.class),
              new VendorSettings(
                  binder.bindOrCreate("closeout.targets.tracker.jira", JiraProperties.class),
                  binder.bindOrCreate(
                      "closeout.targets.ledger.servicenow", ServiceNowProperties.class)),
              sandbox,
              CLOCK,
              Map.of("CLOSEOUT_JIRA_API_TOKEN", FakeJira.TOKEN));
      assertThat(targets.check())
          .allSatisfy(c -> assertThat(c.passed()).as(c.system() + ": " + c.detail()).isTrue());

      CloseoutStores stores = JdbcCloseoutStores.create(schema.dataSource(), CLOCK);
      CloseoutEngine engine =
          new CloseoutEngine(
              targets.ports(),
              stores,
              CLOCK,
              EngineSettings.defaults(),
              "vendor-canary",
              StepCommitListener.NONE,
              new Random(1));

      engine.receive(clean.event("evt-canary-1"));
      engine.runDue();

      // The closure really went through Jira and ServiceNow.
      FakeJira.Issue issue = jira.issue("SUP-1");
      assertThat(issue.status).isEqualTo("Review Complete");
      assertThat(((Number) issue.fields.get(FakeJira.VERSION)).intValue()).isEqualTo(1);
      assertThat(issue.fields.get(FakeJira.CLOSED_AT)).isEqualTo("2026-11-20T10:14:58.000+0000");
      assertThat(issue.links).hasSize(2);
      assertThat(now.row(cleanRow))
          .containsEntry("u_review_status", "review_complete")
          .containsEntry("u_disposition_version", "1")
          .containsEntry("u_closed_at", "2026-11-20 10:14:58");
      assertThat(now.row(cleanRow).get("u_archive_refs"))
          .contains(clean.archiveRefs().get(1).uri());
      assertThat(sandbox.notices(clean.id())).hasSize(1);

      RevertOutcome reverted = engine.revert(clean.id(), 1);
      assertThat(reverted).isInstanceOf(RevertOutcome.Reverted.class);
      assertThat(jira.issue("SUP-1").status).isEqualTo("In Review");
      assertThat(jira.issue("SUP-1").links).isEmpty();
      assertThat(now.row(cleanRow)).containsEntry("u_review_status", "open");
      assertThat(now.row(cleanRow).get("u_archive_refs")).isEqualTo("[]");

      engine.receive(reopened.event("evt-canary-2"));
      engine.runDue();
      assertThat(jira.issue("SUP-2").status).isEqualTo("In Review");
      assertThat(now.row(reopenedRow)).containsEntry("u_review_status", "open");

      List<String> requests = new ArrayList<>();
      requests.addAll(journal(jira.server()));
      requests.addAll(journal(now.server()));
      assertThat(requests).hasSizeGreaterThan(20);
      List<String> logLines = new ArrayList<>();
      logs.list.forEach(
          e -> {
            logLines.add(e.getFormattedMessage());
            if (e.getThrowableProxy() != null) {
              logLines.add(e.getThrowableProxy().getMessage());
            }
          });

      assertThat(sandbox.restrictedValues()).hasSize(15);
      assertThat(sandbox.countRestrictedOccurrences(requests)).isZero();
      assertThat(sandbox.countRestrictedOccurrences(logLines)).isZero();
      String all = String.join("\n", requests) + String.join("\n", logLines);
      for (String value : sandbox.restrictedValues()) {
        assertThat(all).doesNotContain(value);
      }
      assertThat(String.join("\n", logLines))
          .doesNotContain(FakeJira.TOKEN)
          .doesNotContain(FakeServiceNow.PASSWORD);
    } finally {
      root.detachAppender(logs);
      jira.shutdown();
      now.shutdown();
    }
  }

  /** Every request as text: method, URL, each header with its values, body. */
  private static List<String> journal(WireMockServer server) {
    List<String> texts = new ArrayList<>();
    server
        .getAllServeEvents()
        .forEach(
            event -> {
              LoggedRequest r = event.getRequest();
              StringBuilder text = new StringBuilder();
              text.append(r.getMethod().getName()).append(' ').append(r.getUrl()).append('\n');
              r.getHeaders()
                  .all()
                  .forEach(h -> text.append(h.key()).append(": ").append(h.values()).append('\n'));
              text.append(r.getBodyAsString());
              texts.add(text.toString());
            });
    return texts;
  }
}
