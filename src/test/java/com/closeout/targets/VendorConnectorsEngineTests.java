package com.closeout.targets;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.closeout.audit.AuditAction;
import com.closeout.audit.AuditEntry;
import com.closeout.config.SlackTeamsS3Properties;
import com.closeout.config.TargetsAssembly;
import com.closeout.config.TargetsProperties;
import com.closeout.config.VendorSettings;
import com.closeout.domain.Step;
import com.closeout.domain.TargetSystem;
import com.closeout.evaluation.SimulatedClock;
import com.closeout.propagation.CloseoutEngine;
import com.closeout.propagation.CloseoutStores;
import com.closeout.propagation.EngineSettings;
import com.closeout.propagation.StepCommitListener;
import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.propagation.jdbc.JdbcCloseoutStores;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.targets.notice.jdbc.JdbcNoticeDeliveries;
import com.closeout.targets.resilience.ConfiguredTargets;
import com.closeout.testsupport.CleanEscalation;
import com.closeout.testsupport.TestDatabase;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Real closures through the engine with the coordinator channel on a WireMock Slack (or Teams) and
 * the archive on a WireMock S3, the other systems on the in-memory sandbox, everything assembled
 * from {@code closeout.targets.*} properties: one notice per closure even when the first post's
 * answer is lost, and no restricted value in any request (method, URL, headers, body).
 */
class VendorConnectorsEngineTests {
  private static final Instant FINALIZED = Instant.parse("2026-11-20T10:14:58Z");
  private static final String SLACK_TOKEN = "xoxb-engine-test-token";
  private static final String CHANNEL = "C0OPS00001";

  private final SimulatedClock clock = new SimulatedClock(Instant.parse("2026-11-20T10:20:00Z"));
  private WireMockServer chat;
  private WireMockServer s3;
  private IsolatedSchema schema;
  private CloseoutStores stores;
  private SandboxSystems sandbox;

  @BeforeEach
  void start() {
    chat = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    chat.start();
    s3 = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    s3.start();
    schema = TestDatabase.freshSchema("vendors");
    stores = JdbcCloseoutStores.create(schema.dataSource(), clock);
    sandbox = new SandboxSystems();
    // The archive objects of CleanEscalation: packets with S3's checksum, notes with metadata.
    s3.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.head(
                urlPathMatching("/evidence/packets/.*"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("x-amz-checksum-sha256", base64("c".repeat(64)))
                    .withHeader("x-amz-checksum-type", "FULL_OBJECT")));
    s3.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.head(urlPathMatching("/evidence/notes/.*"))
            .willReturn(
                aResponse().withStatus(200).withHeader("x-amz-meta-sha256", "d".repeat(64))));
  }

  @AfterEach
  void stop() throws Exception {
    chat.stop();
    s3.stop();
    schema.close();
  }

  private static String base64(String hex) {
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }

  private CloseoutEngine engine(String notificationKind, Map<String, String> extra) {
    Map<String, String> properties = new HashMap<>();
    properties.put("closeout.targets.notification.kind", notificationKind);
    properties.put("closeout.targets.notification.channel-name", "ops-" + notificationKind);
    properties.put("closeout.targets.notification.read-timeout", "500ms");
    properties.put("closeout.targets.archive.kind", "s3");
    properties.put("closeout.targets.archive.s3.endpoint", s3.baseUrl());
    properties.put("closeout.targets.archive.s3.region", "us-east-1");
    properties.put("closeout.targets.archive.s3.access-key-id-env", "S3_KEY_ID");
    properties.put("closeout.targets.archive.s3.secret-access-key-env", "S3_SECRET");
    properties.put(
        "closeout.targets.archive.s3.locations[0].uri-prefix", "archive://closure-packets/");
    properties.put("closeout.targets.archive.s3.locations[0].bucket", "evidence");
    properties.put("closeout.targets.archive.s3.locations[0].key-prefix", "packets/");
    properties.put(
        "closeout.targets.archive.s3.locations[1].uri-prefix", "archive://review-notes/");
    properties.put("closeout.targets.archive.s3.locations[1].bucket", "evidence");
    properties.put("closeout.targets.archive.s3.locations[1].key-prefix", "notes/");
    properties.putAll(extra);
    Binder binder = new Binder(new MapConfigurationPropertySource(properties));
    Map<String, String> environment =
        Map.of(
            "SLACK_TOKEN",
            SLACK_TOKEN,
            "TEAMS_URL",
            chat.baseUrl() + "/workflows/w1/triggers/manual/paths/invoke?sig=teams-sig-1",
            "S3_KEY_ID",
            "AKIAENGINETEST",
            "S3_SECRET",
            "engine-test-secret");
    ConfiguredTargets targets =
        TargetsAssembly.assemble(
            binder.bindOrCreate("closeout.targets", TargetsProperties.class),
            new VendorSettings(
                null,
                null,
                binder.bindOrCreate("closeout.targets", SlackTeamsS3Properties.class),
                new JdbcNoticeDeliveries(schema.dataSource(), stores.audit(), clock)),
            sandbox,
            clock,
            environment);
    return new CloseoutEngine(
        targets.ports(),
        stores,
        clock,
        EngineSettings.defaults(),
        "vendors",
        StepCommitListener.NONE,
        new Random(7));
  }

  private Map<String, String> slack() {
    return Map.of(
        "closeout.targets.notification.slack.api-url",
        chat.baseUrl() + "/api",
        "closeout.targets.notification.slack.channel-id",
        CHANNEL,
        "closeout.targets.notification.slack.token-env",
        "SLACK_TOKEN");
  }

  private void runUntilQuiet() {
    engine.runDue();
    for (int i = 0; i < 10 && engine.nextDueAt().isPresent(); i++) {
      clock.advanceTo(engine.nextDueAt().get().plus(Duration.ofSeconds(1)));
      engine.runDue();
    }
  }

  private CloseoutEngine engine;

  private void assertCompletedWithOneNotice(CleanEscalation escalation, String channel) {
    stores.audit().chainAllPending();
    List<AuditEntry> trail = stores.audit().forEscalation(escalation.id().value());
    assertThat(trail).anySatisfy(e -> assertThat(e.action()).isEqualTo(AuditAction.COMPLETED));
    assertThat(trail)
        .filteredOn(
            e ->
                e.action() == AuditAction.STEP_DONE
                    && e.targetSystem() == TargetSystem.NOTIFICATION)
        .singleElement()
        .satisfies(e -> assertThat(e.notificationTarget()).isEqualTo(channel));
    assertThat(sandbox.tracker(escalation.id()).orElseThrow().status())
        .isEqualTo(ReviewState.REVIEW_COMPLETE);
    assertThat(stores.audit().verify()).isEmpty();
  }

  @Test
  void slackGetsOneNoticeEvenWhenTheFirstAnswerIsLostAndTheWorkerRetries() {
    CleanEscalation escalation = CleanEscalation.loadInto(sandbox, "ESC-SLACK-1", FINALIZED);
    String key = escalation.id().value() + ":v1:" + Step.COORDINATOR_NOTIFY.name();
    chat.stubFor(
        post(urlPathEqualTo("/api/chat.postMessage"))
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    chat.stubFor(
        get(urlPathEqualTo("/api/conversations.history"))
            .withQueryParam("cursor", absent())
            .willReturn(
                okJson(
                    "{\"ok\":true,\"messages\":[],\"has_more\":true,"
                        + "\"response_metadata\":{\"next_cursor\":\"c2\"}}")));
    chat.stubFor(
        get(urlPathEqualTo("/api/conversations.history"))
            .withQueryParam("cursor", com.github.tomakehurst.wiremock.client.WireMock.equalTo("c2"))
            .willReturn(
                okJson(
                    "{\"ok\":true,\"messages\":[{\"type\":\"message\",\"ts\":\"1.2\","
                        + "\"metadata\":{\"event_type\":\"closeout_notice\",\"event_payload\":"
                        + "{\"idempotency_key\":\""
                        + key
                        + "\"}}}],\"has_more\":false}")));
    engine = engine("slack", slack());

    engine.receive(escalation.event("evt-slack-1"));
    runUntilQuiet();

    chat.verify(1, postRequestedFor(urlPathEqualTo("/api/chat.postMessage")));
    // The retry looked the notice up (two pages, by cursor) instead of posting it again.
    chat.verify(
        2,
        com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
            urlPathEqualTo("/api/conversations.history")));
    assertCompletedWithOneNotice(escalation, "ops-slack");
  }

  @Test
  void teamsGetsNoSecondNoticeWhenTheFirstAnswerIsLostAndTheWorkerRetries() {
    CleanEscalation escalation = CleanEscalation.loadInto(sandbox, "ESC-TEAMS-1", FINALIZED);
    String path = "/workflows/w1/triggers/manual/paths/invoke";
    chat.stubFor(
        post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(202).withFixedDelay(2_000)));
    engine =
        engine("teams", Map.of("closeout.targets.notification.teams.webhook-url-env", "TEAMS_URL"));

    engine.receive(escalation.event("evt-teams-1"));
    runUntilQuiet();

    chat.verify(1, postRequestedFor(urlPathEqualTo(path)));
    assertCompletedWithOneNotice(escalation, "ops-teams");
    assertThat(stores.audit().forEscalation(escalation.id().value()))
        .anySatisfy(e -> assertThat(e.action()).isEqualTo(AuditAction.NOTICE_UNCONFIRMED));
  }

  @Test
  void noRestrictedValueIsInAnyRequestToSlackOrS3() {
    CleanEscalation escalation = CleanEscalation.loadInto(sandbox, "ESC-CANARY-V", FINALIZED);
    chat.stubFor(
        post(urlPathEqualTo("/api/chat.postMessage"))
            .willReturn(okJson("{\"ok\":true,\"channel\":\"" + CHANNEL + "\",\"ts\":\"1.1\"}")));
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    try {
      engine = engine("slack", slack());
      engine.receive(escalation.event("evt-canary-v"));
      runUntilQuiet();
    } finally {
      root.detachAppender(logs);
    }
    assertCompletedWithOneNotice(escalation, "ops-slack");

    List<ServeEvent> served = new ArrayList<>(chat.getAllServeEvents());
    served.addAll(s3.getAllServeEvents());
    assertThat(served).hasSizeGreaterThanOrEqualTo(3);
    List<String> texts = new ArrayList<>();
    for (ServeEvent event : served) {
      LoggedRequest request = event.getRequest();
      texts.add(request.getMethod().getName() + " " + request.getAbsoluteUrl());
      texts.add(request.getHeaders().toString());
      texts.add(request.getBodyAsString());
    }
    stores.audit().chainAllPending();
    stores.audit().entries(0, 10_000).forEach(e -> texts.add(e.toString()));
    logs.list.forEach(e -> texts.add(e.getFormattedMessage()));

    assertThat(String.join("\n", texts)).contains("ESC-CANARY-V");
    assertThat(sandbox.restrictedValues()).isNotEmpty();
    assertThat(sandbox.countRestrictedOccurrences(texts)).isZero();
    for (String value : sandbox.restrictedValues()) {
      assertThat(String.join("\n", texts)).doesNotContain(value);
    }
  }
}
