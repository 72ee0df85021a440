package com.closeout.targets.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Slack channel against a WireMock Slack Web API following Slack's documentation: {@code
 * chat.postMessage} (JSON, bearer bot token, message metadata), {@code conversations.history}
 * (cursor pagination, {@code include_all_metadata}), {@code auth.test}, {@code ok:false} error
 * bodies with HTTP 200, and HTTP 429 with Retry-After.
 */
class SlackChannelTests {
  private static final String TOKEN = "xoxb-test-4f1c-bot-token";
  private static final String CHANNEL = "C0CLOSEOUT1";
  private static final Instant NOW = Instant.parse("2026-11-20T10:20:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final IdempotencyKey KEY = new IdempotencyKey("ESC-1042:v3:COORDINATOR_NOTIFY");
  private static final CoordinatorNotice NOTICE =
      new CoordinatorNotice(
          CoordinatorNotice.Kind.CLOSURE_PROPAGATION_COMPLETE,
          new EscalationId("ESC-1042"),
          3,
          List.of(TargetSystem.TRACKER, TargetSystem.LEDGER, TargetSystem.QUEUE));
  private static final String POSTED =
      "{\"ok\":true,\"channel\":\"" + CHANNEL + "\",\"ts\":\"1763634000.000100\"}";

  private WireMockServer slack;
  private IsolatedSchema schema;
  private JdbcNoticeDeliveries deliveries;

  @BeforeEach
  void start() {
    slack = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    slack.start();
    schema = TestDatabase.freshSchema("slack");
    deliveries =
        new JdbcNoticeDeliveries(
            schema.dataSource(),
            JdbcCloseoutStores.create(schema.dataSource(), CLOCK).audit(),
            CLOCK);
  }

  @AfterEach
  void stop() throws Exception {
    slack.stop();
    schema.close();
  }

  private SlackChannel channel(Duration readTimeout) {
    return new SlackChannel(
        new SlackSettings(
            URI.create(slack.baseUrl() + "/api"),
            CHANNEL,
            Secret.of(TOKEN, "test"),
            Duration.ofSeconds(1),
            readTimeout,
            null,
            2,
            0),
        "ops-slack",
        deliveries,
        CLOCK);
  }

  private SlackChannel channel() {
    return channel(Duration.ofSeconds(2));
  }

  private static String historyPage(String keyOrNull, boolean hasMore, String nextCursor) {
    String other =
        "{\"type\":\"message\",\"user\":\"U1\",\"text\":\"unrelated\",\"ts\":\"1763633990.000200\"}";
    String mine =
        keyOrNull == null
            ? "{\"type\":\"message\",\"bot_id\":\"B1\",\"text\":\"other bot\","
                + "\"ts\":\"1763633991.000300\",\"metadata\":{\"event_type\":\"closeout_notice\","
                + "\"event_payload\":{\"idempotency_key\":\"ESC-9:v1:COORDINATOR_NOTIFY\"}}}"
            : "{\"type\":\"message\",\"bot_id\":\"B1\",\"text\":\"notice\","
                + "\"ts\":\"1763634000.000100\",\"metadata\":{\"event_type\":\"closeout_notice\","
                + "\"event_payload\":{\"idempotency_key\":\""
                + keyOrNull
                + "\"}}}";
    return "{\"ok\":true,\"messages\":["
        + mine
        + ","
        + other
        + "],\"has_more\":"
        + hasMore
        + ",\"pin_count\":0,\"response_metadata\":{\"next_cursor\":\""
        + nextCursor
        + "\"}}";
  }

  @Test
  void postsOneMessageWithTheBotTokenAndTheKeyInMessageMetadata() {
    slack.stubFor(post(urlPathEqualTo("/api/chat.postMessage")).willReturn(okJson(POSTED)));

    assertThat(channel().post(NOTICE, KEY)).isEqualTo(WriteResult.APPLIED);

    slack.verify(
        1,
        postRequestedFor(urlPathEqualTo("/api/chat.postMessage"))
            .withHeader("Authorization", equalTo("Bearer " + TOKEN))
            .withHeader(
                "Content-Type",
                com.github.tomakehurst.wiremock.client.WireMock.equalToIgnoreCase(
                    "application/json"))
            .withRequestBody(matchingJsonPath("$.channel", equalTo(CHANNEL)))
            .withRequestBody(matchingJsonPath("$.metadata.event_type", equalTo("closeout_notice")))
            .withRequestBody(
                matchingJsonPath("$.metadata.event_payload.idempotency_key", equalTo(KEY.value())))
            .withRequestBody(
                matchingJsonPath(
                    "$.text",
                    equalTo(
                        "*Closure propagation complete*: ESC-1042 v3. Systems updated: tracker,"
                            + " ledger, queue. (CLOSURE_PROPAGATION_COMPLETE)"))));
    assertThat(deliveries.state(KEY)).contains("DELIVERED");
  }

  @Test
  void aDeliveredNoticeIsReplayedWithoutCallingSlack() {
    slack.stubFor(post(urlPathEqualTo("/api/chat.postMessage")).willReturn(okJson(POSTED)));
    channel().post(NOTICE, KEY);

    assertThat(channel().post(NOTICE, KEY)).isEqualTo(WriteResult.REPLAYED);

    assertThat(slack.getAllServeEvents()).hasSize(1);
  }

  @Test
  void aLostAnswerIsFoundInTheHistoryOnRetryAndNotPostedAgain() {
    slack.stubFor(
        post(urlPathEqualTo("/api/chat.postMessage"))
            .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
    slack.stubFor(
        get(urlPathEqualTo("/api/conversations.history"))
            .withQueryParam("cursor", com.github.tomakehurst.wiremock.client.WireMock.absent())
            .willReturn(okJson(historyPage(null, true, "bmV4dF90czoxNzYz"))));
    slack.stubFor(
        get(urlPathEqualTo("/api/conversations.history"))
            .withQueryParam("cursor", equalTo("bmV4dF90czoxNzYz"))
            .willReturn(okJson(historyPage(KEY.value(), false, ""))));

    TargetUnavailableException lost =
        catchThrowableOfType(TargetUnavailableException.class, () -> channel().post(NOTICE, KEY));
    assertThat(lost.outcomeUnknown()).isTrue();
    assertThat(deliveries.state(KEY)).contains("ATTEMPTING");

    assertThat(channel().post(NOTICE, KEY)).isEqualTo(WriteResult.REPLAYED);

    slack.verify(1, postRequestedFor(urlPathEqualTo("/api/chat.postMessage")));
    slack.verify(
        2,
        getRequestedFor(urlPathEqualTo("/api/conversations.history"))
            .withHeader("Authorization", equalTo("Bearer " + TOKEN))
            .withQueryParam("channel", equalTo(CHANNEL))
            .withQueryParam("include_all_metadata", equalTo("true"))
            .withQueryParam("limit", equalTo("2"))
            // Ten minutes before the first attempt (the default lookback).
            .withQueryParam("oldest", equalTo(NOW.minusSeconds(600).getEpochSecond() + ".000000")));
    assertThat(deliveries.state(KEY)).contains("DELIVERED");
  }

  @Test
  void aTimedOutPostNotInTheHistoryIsPostedOnceMore() {
    slack.stubFor(
        post(urlPathEqualTo("/api/chat.postMessage"))
            .inScenario("slow")
            .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
            .willReturn(okJson(POSTED).withFixedDelay(1_500))
            .willSetStateTo("fast"));
    slack.stubFor(
        post(urlPathEqualTo("/api/chat.postMessage"))
            .inScenario("slow")
            .whenScenarioStateIs("fast")
            .willReturn(okJson(POSTED)));
    slack.stubFor(
        get(urlPathEqualTo("/api/conversations.history"))
            .willReturn(okJson(historyPage(null, false, ""))));

    TargetUnavailableException timedOut =
        catchThrowableOfType(
            TargetUnavailableException.class,
            () -> channel(Duration.ofMillis(300)).post(NOTICE, KEY));
    assertThat(timedOut.outcomeUnknown()).isTrue();

    assertThat(channel().post(NOTICE, KEY)).isEqualTo(WriteResult.APPLIED);

    slack.verify(2, postRequestedFor(urlPathEqualTo("/api/chat.postMessage")));
    slack.verify(1, getRequestedFor(urlPathEqualTo("/api/conversations.history")));
  }

  @Test
  void http429WithRetryAfterIsUnavailableForThatLongAndReleasesTheClaim() {
    slack.stubFor(
        post(urlPathEqualTo("/api/chat.postMessage"))
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Retry-After", "7")
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"ok\":false,\"error\":\"ratelimited\"}")));

    TargetUnavailableException throttled =
        catchThrowableOfType(TargetUnavailableException.class, () -> channel().post(NOTICE, KEY));

    assertThat(throttled.retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(throttled.outcomeUnknown()).isFalse();
    // Certainly not posted: the next attempt posts without searching the history.
    assertThat(deliveries.state(KEY)).isEmpty();
  }

  @Test
  void aRatelimitedBodyWithHttp200IsUnavailableWithItsRetryAfter() {
    slack.stubFor(
        post(urlPathEqualTo("/api/chat.postMessage"))
            .willReturn(
                okJson("{\"ok\":false,\"error\":\"ratelimited\"}").withHeader("Retry-After", "3")));

    TargetUnavailableException throttled =
        catchThrowableOfType(TargetUnavailableException.class, () -> channel().post(NOTICE, KEY));

    assertThat(throttled.retryAfter()).contains(Duration.ofSeconds(3));
    assertThat(throttled.getMessage()).contains("rate limited");
  }

  @Test
  void refusedTokenAndUnknownChannelAreUnavailableWithAClearMessage() {
    slack.stubFor(
        post(urlPathEqualTo("/api/chat.postMessage"))
            .willReturn(okJson("{\"ok\":false,\"error\":\"invalid_auth\"}")));
    TargetUnavailableException refused =
        catchThrowableOfType(TargetUnavailableException.class, () -> channel().post(NOTICE, KEY));
    assertThat(refused.getMessage()).contains("bot token refused (invalid_auth)");
    assertThat(refused.getMessage()).doesNotContain(TOKEN);

    slack.stubFor(
        post(urlPathEqualTo("/api/chat.postMessage"))
            .willReturn(okJson("{\"ok\":false,\"error\":\"channel_not_found\"}")));
    TargetUnavailableException missing =
        catchThrowableOfType(TargetUnavailableException.class, () -> channel().post(NOTICE, KEY));
    assertThat(missing.getMessage())
        .contains("channel " + CHANNEL + " not usable (channel_not_found)");
    assertThat(missing.retryAfter()).isEmpty();
  }

  @Test
  void checkConfigCallsAuthTestAndReadsOneHistoryPage() {
    slack.stubFor(
        post(urlPathEqualTo("/api/auth.test"))
            .willReturn(
                okJson(
                    "{\"ok\":true,\"url\":\"https://example.slack.com/\",\"team\":\"Ops\","
                        + "\"user\":\"closeout\",\"team_id\":\"T1\",\"user_id\":\"U1\","
                        + "\"bot_id\":\"B1\"}")));
    slack.stubFor(
        get(urlPathEqualTo("/api/conversations.history"))
            .willReturn(okJson(historyPage(null, false, ""))));

    TargetCheck check = channel().check("slack");

    assertThat(check.passed()).isTrue();
    slack.verify(
        postRequestedFor(urlPathEqualTo("/api/auth.test"))
            .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    assertThat(slack.findAll(postRequestedFor(urlPathEqualTo("/api/chat.postMessage")))).isEmpty();

    slack.stubFor(
        post(urlPathEqualTo("/api/auth.test"))
            .willReturn(okJson("{\"ok\":false,\"error\":\"invalid_auth\"}")));
    TargetCheck refused = channel().check("slack");
    assertThat(refused.reachable()).isTrue();
    assertThat(refused.authOk()).isFalse();
    assertThat(refused.detail()).contains("invalid_auth");
  }

  @Test
  void checkConfigOnAnUnreachableApiSaysSo() {
    SlackChannel channel = channel();
    slack.stop();
    TargetCheck check = channel.check("slack");
    assertThat(check.reachable()).isFalse();
    assertThat(check.passed()).isFalse();
  }

  @Test
  void theRevertNoticeSaysWhichSystemsWereRestored() {
    slack.stubFor(post(urlPathEqualTo("/api/chat.postMessage")).willReturn(okJson(POSTED)));
    CoordinatorNotice reverted =
        new CoordinatorNotice(
            CoordinatorNotice.Kind.CLOSURE_REVERTED,
            new EscalationId("ESC-1042"),
            3,
            List.of(TargetSystem.TRACKER));

    channel().post(reverted, KEY.qualified("revert"));

    slack.verify(
        postRequestedFor(urlPathEqualTo("/api/chat.postMessage"))
            .withRequestBody(
                equalToJson(
                    "{\"channel\":\""
                        + CHANNEL
                        + "\",\"text\":\"*Closure reverted*: ESC-1042 v3. Systems restored:"
                        + " tracker. (CLOSURE_REVERTED)\",\"unfurl_links\":false,"
                        + "\"unfurl_media\":false,\"metadata\":{\"event_type\":\"closeout_notice\","
                        + "\"event_payload\":{\"idempotency_key\":\""
                        + KEY.value()
                        + ":revert\",\"escalation_id\":\"ESC-1042\",\"disposition_version\":3,"
                        + "\"kind\":\"CLOSURE_REVERTED\"}}}")));
  }
}
