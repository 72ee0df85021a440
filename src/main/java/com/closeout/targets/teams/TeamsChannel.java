package com.closeout.targets.teams;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The coordinator channel on Microsoft Teams: one Adaptive Card posted to a Workflows webhook,
 * built from the {@link CoordinatorNotice} alone.
 *
 * <p>A webhook is not idempotent and cannot be read back, so duplicates are suppressed by
 * Closeout's own {@link NoticeDeliveries} and the unknown case is settled at-most-once: a retry of
 * a key whose earlier post lost its answer ({@code ATTEMPTING}) is not posted again; it is answered
 * {@code REPLAYED}, logged as a warning and audited as {@code NOTICE_UNCONFIRMED}
 * (docs/decisions/0004). A post that certainly did not arrive (refused, throttled) releases its
 * record, so the retry posts.
 */
public final class TeamsChannel implements CoordinatorChannel {
  static final String ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";

  private static final Logger LOG = LoggerFactory.getLogger(TeamsChannel.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final TeamsSettings settings;
  private final String name;
  private final ContractClient client;
  private final NoticeDeliveries deliveries;

  public TeamsChannel(
      TeamsSettings settings, String name, NoticeDeliveries deliveries, Clock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.name = Objects.requireNonNull(name, "name");
    this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
    // The endpoint holds only the origin; the secret path and query go on the one request.
    this.client =
        new ContractClient(
            new RestEndpoint(
                TargetSystem.NOTIFICATION,
                settings.origin(),
                new Authentication.None(),
                settings.connectTimeout(),
                settings.readTimeout()),
            clock);
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
    if (claim instanceof Claim.Attempting) {
      deliveries.unconfirmed(key, notice, name);
      LOG.warn(
          "Teams notice {} for {} v{}: an earlier post's answer was lost and a webhook cannot be"
              + " read back; not posting again (at-most-once), so the notice may be missing",
          key,
          notice.escalationId().value(),
          notice.dispositionVersion());
      return WriteResult.REPLAYED;
    }
    ContractClient.Answer answer;
    try {
      answer = client.call("POST", settings.pathAndQuery(), card(notice, key), true);
    } catch (TargetUnavailableException e) {
      if (!e.outcomeUnknown()) {
        deliveries.release(key);
      }
      throw e;
    }
    if (!answer.ok()) {
      TargetUnavailableException refused =
          client.refusal(
              answer,
              true,
              answer.notFound()
                  ? "the workflow or webhook no longer exists"
                  : "not accepted by the webhook");
      if (!refused.outcomeUnknown()) {
        deliveries.release(key);
      }
      throw refused;
    }
    deliveries.delivered(key);
    return WriteResult.APPLIED;
  }

  /**
   * The webhook body: a {@code message} with one Adaptive Card attachment (version 1.4), a title,
   * the escalation and version, and a fact set. Nothing but the notice's fields and the key.
   */
  static byte[] card(CoordinatorNotice notice, IdempotencyKey key) {
    Map<String, Object> title = new LinkedHashMap<>();
    title.put("type", "TextBlock");
    title.put("text", NoticeText.title(notice));
    title.put("weight", "Bolder");
    title.put("size", "Medium");
    title.put("wrap", true);
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("type", "FactSet");
    facts.put(
        "facts",
        List.of(
            fact("Escalation", notice.escalationId().value()),
            fact("Version", String.valueOf(notice.dispositionVersion())),
            fact(NoticeText.systemsLabel(notice), NoticeText.systems(notice)),
            fact("Kind", notice.kind().name()),
            fact("Idempotency key", key.value())));
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
    content.put("type", "AdaptiveCard");
    content.put("version", "1.4");
    content.put("body", List.of(title, facts));
    Map<String, Object> attachment = new LinkedHashMap<>();
    attachment.put("contentType", ADAPTIVE_CARD);
    attachment.put("contentUrl", null);
    attachment.put("content", content);
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("type", "message");
    message.put("attachments", List.of(attachment));
    return JSON.writeValueAsBytes(message);
  }

  private static Map<String, String> fact(String title, String value) {
    Map<String, String> fact = new LinkedHashMap<>();
    fact.put("title", title);
    fact.put("value", value);
    return fact;
  }

  /**
   * {@code check-config}: a webhook has no read-only call (any POST posts), so nothing is called;
   * the URL was loaded and is well-formed.
   */
  public TargetCheck check(String kind) {
    return TargetCheck.notCheckable(
        TargetSystem.NOTIFICATION,
        kind,
        settings.origin().toString(),
        "reachable: not checked (webhook); the webhook URL is loaded and well-formed");
  }
}
