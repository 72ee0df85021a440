package com.closeout.targets.teams;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.closeout.audit.AuditAction;
import com.closeout.audit.AuditTrail;
import com.closeout.domain.EscalationId;
import com.closeout.domain.IdempotencyKey;
import com.closeout.domain.TargetSystem;
import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.propagation.jdbc.JdbcCloseoutStores;
import com.closeout.targets.CoordinatorNotice;
import com.closeout.targets.TargetUnavailableException;
import com.closeout.targets.WriteResult;
import com.closeout.targets.notice.jdbc.JdbcNoticeDeliveries;
import com.closeout.targets.rest.Secret;
import com.closeout.targets.rest.TargetCheck;
import com.closeout.testsupport.TestDatabase;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.http.Fault;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The Teams channel against a WireMock Workflows webhook: an Adaptive Card in a {@code message}
 * envelope, answered 202; the URL's signature is the credential; no read-back, so a lost answer is
 * settled at-most-once.
 */
class TeamsChannelTests {
  private static final String PATH = "/workflows/4a1b9c/triggers/manual/paths/invoke";
  private static final String SIGNATURE = "sig-Zx81-secret-signature";
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-20T10:20:00Z"), ZoneOffset.UTC);
  private static final IdempotencyKey KEY = new IdempotencyKey("ESC-7:v2:COORDINATOR_NOTIFY");
  private static final CoordinatorNotice NOTICE =
      new CoordinatorNotice(
          CoordinatorNotice.Kind.CLOSURE_PROPAGATION_COMPLETE,
          new EscalationId("ESC-7"),
          2,
          List.of(TargetSystem.TRACKER, TargetSystem.LEDGER, TargetSystem.QUEUE));

  private WireMockServer teams;
  private IsolatedSchema schema;
  private AuditTrail audit;
  private JdbcNoticeDeliveries deliveries;

  @BeforeEach
  void start() {
    teams = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    teams.start();
    schema = TestDatabase.freshSchema("teams");
    audit = JdbcCloseoutStores.create(schema.dataSource(), CLOCK).audit();
    deliveries = new JdbcNoticeDeliveries(schema.dataSource(), audit, CLOCK);
  }

  @AfterEach
  void stop() throws Exception {
    teams.stop();
    schema.close();
  }

  private String webhookUrl() {
    return teams.baseUrl()
        + PATH
        + "?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sig="
        + SIGNATURE;
  }

  private TeamsChannel channel(Duration readTimeout) {
    return new TeamsChannel(
        new TeamsSettings(Secret.of(webhookUrl(), "test"), Duration.ofSeconds(1), readTimeout),
        "ops-teams",
        deliveries,
        CLOCK);
  }

  private TeamsChannel channel() {
    return channel(Duration.ofSeconds(2));
  }

  @Test
  void postsOneAdaptiveCardToTheWebhookUrl() {
    teams.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(202)));

    assertThat(channel().post(NOTICE, KEY)).isEqualTo(WriteResult.APPLIED);

    teams.verify(
        1,
        postRequestedFor(urlPathEqualTo(PATH))
            .withQueryParam("sig", equalTo(SIGNATURE))
            .withQueryParam("api-version", equalTo("2016-06-01"))
            .withHeader("Content-Type", equalToIgnoreCase("application/json"))
            .withRequestBody(matchingJsonPath("$.type", equalTo("message")))
            .withRequestBody(
                matchingJsonPath(
                    "$.attachments[0].contentType",
                    equalTo("application/vnd.microsoft.card.adaptive")))
            .withRequestBody(
                matchingJsonPath("$.attachments[0].content.type", equalTo("AdaptiveCard")))
            .withRequestBody(matchingJsonPath("$.attachments[0].content.version", equalTo("1.4")))
            .withRequestBody(
                matchingJsonPath(
                    "$.attachments[0].content.body[0].text",
                    equalTo("Closure propagation complete")))
            .withRequestBody(
                matchingJsonPath(
                    "$.attachments[0].content.body[1].facts[0].value", equalTo("ESC-7")))
            .withRequestBody(
                matchingJsonPath(
                    "$.attachments[0].content.body[1].facts[2].value",
                    equalTo("tracker, ledger, queue"))));
    assertThat(deliveries.state(KEY)).contains("DELIVERED");
    assertThat(channel().post(NOTICE, KEY)).isEqualTo(WriteResult.REPLAYED);
    assertThat(teams.getAllServeEvents()).hasSize(1);
  }

  @Test
  void aLostAnswerIsNotPostedAgainButWarnedAndAudited() {
    teams.stubFor(
        post(urlPathEqualTo(PATH))
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    Logger logger = (Logger) LoggerFactory.getLogger(TeamsChannel.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try {
      TargetUnavailableException lost =
          catchThrowableOfType(TargetUnavailableException.class, () -> channel().post(NOTICE, KEY));
      assertThat(lost.outcomeUnknown()).isTrue();

      assertThat(channel().post(NOTICE, KEY)).isEqualTo(WriteResult.REPLAYED);
      assertThat(channel().post(NOTICE, KEY)).isEqualTo(WriteResult.REPLAYED);
    } finally {
      logger.detachAppender(logs);
    }

    teams.verify(1, postRequestedFor(urlPathEqualTo(PATH)));
    assertThat(deliveries.state(KEY)).contains("UNCONFIRMED");
    audit.chainAllPending();
    assertThat(audit.forEscalation("ESC-7"))
        .singleElement()
        .satisfies(
            entry -> {
              assertThat(entry.action()).isEqualTo(AuditAction.NOTICE_UNCONFIRMED);
              assertThat(entry.notificationTarget()).isEqualTo("ops-teams");
              assertThat(entry.detail()).contains("may be missing");
            });
    assertThat(logs.list)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getLevel()).isEqualTo(Level.WARN);
              assertThat(e.getFormattedMessage()).contains("may be missing");
            });
    assertThat(audit.verify()).isEmpty();
  }

  @Test
  void aReadTimeoutCountsAsALostAnswer() {
    teams.stubFor(
        post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(202).withFixedDelay(1_500)));

    TargetUnavailableException timedOut =
        catchThrowableOfType(
            TargetUnavailableException.class,
            () -> channel(Duration.ofMillis(300)).post(NOTICE, KEY));
    assertThat(timedOut.outcomeUnknown()).isTrue();

    assertThat(channel().post(NOTICE, KEY)).isEqualTo(WriteResult.REPLAYED);
    teams.verify(1, postRequestedFor(urlPathEqualTo(PATH)));
  }

  @Test
  void throttlingIsUnavailableWithRetryAfterAndTheRetryPosts() {
    teams.stubFor(
        post(urlPathEqualTo(PATH))
            .inScenario("throttled")
            .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "12"))
            .willSetStateTo("open"));
    teams.stubFor(
        post(urlPathEqualTo(PATH))
            .inScenario("throttled")
            .whenScenarioStateIs("open")
            .willReturn(aResponse().withStatus(202)));

    TargetUnavailableException throttled =
        catchThrowableOfType(TargetUnavailableException.class, () -> channel().post(NOTICE, KEY));
    assertThat(throttled.retryAfter()).contains(Duration.ofSeconds(12));
    assertThat(throttled.outcomeUnknown()).isFalse();

    assertThat(channel().post(NOTICE, KEY)).isEqualTo(WriteResult.APPLIED);
    teams.verify(2, postRequestedFor(urlPathEqualTo(PATH)));
  }

  @Test
  void theWebhookUrlNeverAppearsInAMessageOrACheck() {
    teams.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(404)));

    TargetUnavailableException gone =
        catchThrowableOfType(TargetUnavailableException.class, () -> channel().post(NOTICE, KEY));
    TargetCheck check = channel().check("teams");

    assertThat(gone.getMessage()).contains("HTTP 404").doesNotContain(SIGNATURE, PATH);
    assertThat(check.toString()).doesNotContain(SIGNATURE, PATH);
    assertThatThrownBy(
            () ->
                new TeamsSettings(
                    Secret.of("http://teams.example/x?sig=" + SIGNATURE, "env X"), null, null))
        .hasMessageContaining("env X")
        .hasMessageNotContaining(SIGNATURE);
  }

  @Test
  void checkConfigSaysTheWebhookIsNotCheckedAndCallsNothing() {
    TargetCheck check = channel().check("teams");

    assertThat(check.checked()).isFalse();
    assertThat(check.passed()).isTrue();
    assertThat(check.detail()).startsWith("reachable: not checked (webhook)");
    assertThat(check.baseUrl()).isEqualTo(teams.baseUrl());
    assertThat(teams.getAllServeEvents()).isEmpty();
  }
}
