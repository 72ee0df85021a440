package com.closeout.targets.slack;

import com.closeout.domain.IdempotencyKey;
import com.closeout.domain.TargetSystem;
import com.closeout.targets.CoordinatorChannel;
import com.closeout.targets.CoordinatorNotice;
import com.closeout.targets.TargetUnavailableException;
import com.closeout.targets.WriteResult;
import com.closeout.targets.notice.NoticeDeliveries;
import com.closeout.targets.notice.NoticeDeliveries.Claim;
import com.closeout.targets.notice.NoticeText;
import com.closeout.targets.rest.Authentication;
import com.closeout.targets.rest.ContractClient;
import com.closeout.targets.rest.RestEndpoint;
import com.closeout.targets.rest.TargetCheck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The coordinator channel on Slack: {@code chat.postMessage} with a bot token. The message is built
 * from the {@link CoordinatorNotice} alone and carries Slack message metadata ({@code event_type}
 * {@value #EVENT_TYPE}, the idempotency key in its payload).
 *
 * <p>Slack's API is not idempotent, so duplicates are suppressed by Closeout's own {@link
 * NoticeDeliveries}: {@code ATTEMPTING} is recorded before the post and {@code DELIVERED} after it.
 * A retry of a delivered key is answered {@code REPLAYED} without a call. A retry of a key still
 * {@code ATTEMPTING} (the answer was lost, or the worker died) searches the channel's history from
 * shortly before the first attempt for a message with this key in its metadata: found, it is {@code
 * REPLAYED}; not found, the notice is posted (docs/decisions/0004).
 */
public final class SlackChannel implements CoordinatorChannel {
  public static final String EVENT_TYPE = "closeout_notice";
  public static final String KEY_FIELD = "idempotency_key";

  /** Slack's wait when a {@code ratelimited} body comes without a Retry-After header. */
  static final Duration DEFAULT_RATE_LIMIT_WAIT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(SlackChannel.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Set<String> AUTH_ERRORS =
      Set.of(
          "invalid_auth",
          "not_authed",
          "account_inactive",
          "token_revoked",
          "token_expired",
          "no_permission",
          "missing_scope",
          "not_allowed_token_type",
          "ekm_access_denied");
  private static final Set<String> CHANNEL_ERRORS =
      Set.of(
          "channel_not_found",
          "not_in_channel",
          "is_archived",
          "restricted_action",
          "restricted_action_read_only_channel",
          "restricted_action_non_threadable_channel",
          "team_access_not_granted");
  // Slack may have done part of the work before answering these: a post's outcome is unknown.
  private static final Set<String> SERVER_ERRORS =
      Set.of("internal_error", "fatal_error", "service_unavailable", "request_timeout");

  private final SlackSettings settings;
  private final String name;
  private final ContractClient client;
  private final NoticeDeliveries deliveries;
  private final Clock clock;

  /**
   * @param name the channel's audited name
   * @param deliveries the durable record of posts that suppresses duplicates
   */
  public SlackChannel(
      SlackSettings settings, String name, NoticeDeliveries deliveries, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.name = Objects.requireNonNull(name, "name");
    this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.client = new ContractClient(endpoint(settings), clock);
  }

  static RestEndpoint endpoint(SlackSettings settings) {
    return new RestEndpoint(
        TargetSystem.NOTIFICATION,
        settings.apiUrl(),
        new Authentication.Bearer(settings.botToken()),
        settings.connectTimeout(),
        settings.readTimeout());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public WriteResult post(CoordinatorNotice notice, IdempotencyKey key) {
    Claim claim = deliveries.claim(key, name);
    if (claim instanceof Claim.Delivered || claim instanceof Claim.Unconfirmed) {
      return WriteResult.REPLAYED;
    }
    if (claim instanceof Claim.Attempting attempting) {
      if (postedSince(key, attempting.since().minus(settings.historyLookback()))) {
        deliveries.delivered(key);
        return WriteResult.REPLAYED;
      }
    }
    try {
      postMessage(notice, key);
    } catch (TargetUnavailableException e) {
      // Only this call's own claim is dropped: after an earlier unknown outcome the history stays
      // the judge.
      if (claim instanceof Claim.Claimed && !e.outcomeUnknown()) {
        deliveries.release(key);
      }
      throw e;
    }
    deliveries.delivered(key);
    return WriteResult.APPLIED;
  }

  private void postMessage(CoordinatorNotice notice, IdempotencyKey key) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put(KEY_FIELD, key.value());
    payload.put("escalation_id", notice.escalationId().value());
    payload.put("disposition_version", notice.dispositionVersion());
    payload.put("kind", notice.kind().name());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("channel", settings.channelId());
    body.put("text", text(notice));
    body.put("unfurl_links", false);
    body.put("unfurl_media", false);
    body.put("metadata", Map.of("event_type", EVENT_TYPE, "event_payload", payload));
    ContractClient.Answer answer =
        client.call("POST", "/chat.postMessage", JSON.writeValueAsBytes(body), true);
    requireOk("chat.postMessage", answer, true);
  }

  /** Slack mrkdwn: the title in bold; &, < and > escaped as Slack asks. */
  static String text(CoordinatorNotice notice) {
    return "*"
        + escape(NoticeText.title(notice))
        + "*: "
        + escape(NoticeText.subject(notice))
        + ". "
        + escape(NoticeText.systemsLabel(notice))
        + ": "
        + escape(NoticeText.systems(notice))
        + ". ("
        + notice.kind().name()
        + ")";
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /**
   * Whether a message with this key in its metadata was posted at or after {@code oldest}: pages of
   * {@code conversations.history} with metadata, newest first, followed by cursor.
   */
  private boolean postedSince(IdempotencyKey key, Instant oldest) {
    String cursor = null;
    for (int page = 0; page < settings.historyMaxPages(); page++) {
      String path =
          "/conversations.history?channel="
              + ContractClient.query(settings.channelId())
              + "&oldest="
              + slackTimestamp(oldest)
              + "&inclusive=true&include_all_metadata=true&limit="
              + settings.historyPageSize()
              + (cursor == null ? "" : "&cursor=" + ContractClient.query(cursor));
      JsonNode body =
          requireOk("conversations.history", client.call("GET", path, null, false), false);
      for (JsonNode message : body.path("messages")) {
        JsonNode metadata = message.path("metadata");
        if (EVENT_TYPE.equals(metadata.path("event_type").asString(""))
            && key.value().equals(metadata.path("event_payload").path(KEY_FIELD).asString(""))) {
          return true;
        }
      }
      cursor = body.path("response_metadata").path("next_cursor").asString("");
      if (!body.path("has_more").asBoolean(false) || cursor.isEmpty()) {
        return false;
      }
    }
    LOG.warn(
        "Slack history searched {} pages back to {} without finding notice {}; posting it",
        settings.historyMaxPages(),
        oldest,
        key);
    return false;
  }

  static String slackTimestamp(Instant instant) {
    return instant.getEpochSecond()
        + "."
        + String.format(Locale.ROOT, "%06d", instant.getNano() / 1000);
  }

  /**
   * The body of a Slack answer that says {@code "ok": true}; anything else is thrown. Slack answers
   * most errors with HTTP 200 and {@code {"ok": false, "error": "..."}}.
   */
  private JsonNode requireOk(String method, ContractClient.Answer answer, boolean write) {
    if (!answer.ok()) {
      // 429 with its Retry-After, 401/403, 5xx (a post's outcome then unknown), or a wrong URL.
      throw client.refusal(answer, write, method + ": is the API URL a Slack Web API?");
    }
    JsonNode body;
    try {
      body = JSON.readTree(answer.body());
    } catch (JacksonException e) {
      // A 2xx without a Slack body (a proxy page): the message may or may not have been posted.
      throw unavailable(method + ": answer is not a Slack API body", write, null);
    }
    if (body.path("ok").asBoolean(false)) {
      return body;
    }
    String error = code(body.path("error").asString("unknown"));
    if (error.equals("ratelimited") || error.equals("rate_limited")) {
      Duration wait =
          answer
              .header("Retry-After")
              .flatMap(v -> ContractClient.parseRetryAfter(v, clock))
              .orElse(DEFAULT_RATE_LIMIT_WAIT);
      throw unavailable(method + ": rate limited (" + error + ")", false, wait);
    }
    if (AUTH_ERRORS.contains(error)) {
      throw unavailable(
          method + ": bot token refused (" + error + "); check the token and its scopes",
          false,
          null);
    }
    if (CHANNEL_ERRORS.contains(error)) {
      throw unavailable(
          method
              + ": channel "
              + settings.channelId()
              + " not usable ("
              + error
              + "); check the channel id and that the bot is a member",
          false,
          null);
    }
    if (SERVER_ERRORS.contains(error)) {
      throw unavailable(method + ": Slack server error (" + error + ")", write, null);
    }
    throw unavailable(method + ": Slack error (" + error + ")", false, null);
  }

  /** Slack's error codes are short snake_case words; anything else is not repeated verbatim. */
  private static String code(String error) {
    String lower = error.toLowerCase(Locale.ROOT);
    return lower.matches("[a-z0-9_.]{1,64}") ? lower : "unrecognised error code";
  }

  private TargetUnavailableException unavailable(
      String message, boolean outcomeUnknown, Duration retryAfter) {
    return new TargetUnavailableException(
        TargetSystem.NOTIFICATION, "slack " + message, outcomeUnknown, retryAfter);
  }

  /**
   * {@code check-config}: {@code auth.test} (the token is accepted) and one history page of the
   * channel (the channel exists, the bot is in it and may read it back). Nothing is posted.
   */
  public TargetCheck check(String kind) {
    String baseUrl = settings.apiUrl().toString();
    String history =
        "/conversations.history?channel=" + ContractClient.query(settings.channelId()) + "&limit=1";
    ContractClient.Answer authTest;
    ContractClient.Answer page;
    try {
      authTest = probe("POST", "/auth.test");
      page = probe("GET", history);
    } catch (TargetUnavailableException e) {
      return new TargetCheck(
          TargetSystem.NOTIFICATION, kind, baseUrl, false, false, false, detail(e));
    }
    try {
      requireOk("auth.test", authTest, false);
    } catch (TargetUnavailableException e) {
      return new TargetCheck(
          TargetSystem.NOTIFICATION, kind, baseUrl, true, false, false, detail(e));
    }
    try {
      requireOk("conversations.history", page, false);
    } catch (TargetUnavailableException e) {
      return new TargetCheck(
          TargetSystem.NOTIFICATION, kind, baseUrl, true, true, false, detail(e));
    }
    return new TargetCheck(TargetSystem.NOTIFICATION, kind, baseUrl, true, true, true, "ok");
  }

  /** A read-only call whose every answer is judged by the caller; only transport fails throw. */
  private ContractClient.Answer probe(String method, String path) {
    java.net.http.HttpResponse<byte[]> response = client.probe(method, path);
    return new ContractClient.Answer(response.statusCode(), response);
  }

  private static String detail(TargetUnavailableException e) {
    String message = e.getMessage();
    int colon = message.indexOf(": ");
    return colon < 0 ? message : message.substring(colon + 2);
  }
}
