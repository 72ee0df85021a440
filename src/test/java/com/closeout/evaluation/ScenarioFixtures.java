package com.closeout.evaluation;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.SourceStatus;
import com.closeout.sandbox.RestrictedContent;
import com.closeout.targets.ArchiveObject;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.QueueItem;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Builds scenarios in code: one clean escalation, its event, and variations of both. */
final class ScenarioFixtures {
  static final Instant FINALIZED = Instant.parse("2026-11-11T09:57:00Z");
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private ScenarioFixtures() {}

  static List<ArchiveRef> refs(String escalationId, int version) {
    return List.of(
        new ArchiveRef(
            "CLOSURE_PACKET",
            "archive://closure-packets/" + escalationId + "/v" + version + ".pdf",
            digest('a', version)),
        new ArchiveRef(
            "REVIEW_NOTE",
            "archive://review-notes/" + escalationId + "/v" + version + ".md",
            digest('b', version)));
  }

  private static String digest(char fill, int version) {
    return (fill + Integer.toHexString(version)).repeat(32);
  }

  static RestrictedContent canaries(String escalationId) {
    return new RestrictedContent(
        "TRANSCRIPT-CANARY-" + escalationId + " the customer said the outage cost them",
        "CONCESSION-CANARY-" + escalationId + " offered a 20% credit",
        "REVIEWER-CANARY-" + escalationId + " we disagree on root cause",
        "Contact Canary " + escalationId,
        "contact-canary-" + escalationId.toLowerCase() + "@customer.example");
  }

  static ReviewSeed review(String escalationId, SourceStatus status, int version, String episode) {
    return review(escalationId, status, version, episode, canaries(escalationId));
  }

  static ReviewSeed review(
      String escalationId,
      SourceStatus status,
      int version,
      String episode,
      RestrictedContent restricted) {
    return new ReviewSeed(
        new SourceRecord(
            new EscalationId(escalationId),
            new EpisodeId(episode),
            "SEV1",
            status,
            "CLOSURE_APPROVED",
            version,
            FINALIZED.plusSeconds(3600L * (version - 1)),
            refs(escalationId, version)),
        restricted);
  }

  /** A clean escalation at version {@code version}: every target mapped to episode EP-1. */
  static ScenarioSystems cleanSystems(String escalationId, int version) {
    return systems(review(escalationId, SourceStatus.FINAL, version, "EP-1"), "EP-1", version);
  }

  static ScenarioSystems systems(ReviewSeed review, String targetEpisode, int archivedVersions) {
    EscalationId id = review.record().escalationId();
    EpisodeId episode = new EpisodeId(targetEpisode);
    List<ArchiveObject> archive =
        java.util.stream.IntStream.rangeClosed(1, archivedVersions)
            .boxed()
            .flatMap(v -> refs(id.value(), v).stream())
            .map(ref -> new ArchiveObject(ref.uri(), ref.sha256()))
            .toList();
    return new ScenarioSystems(
        List.of(review),
        List.of(new BookkeepingRecord(id.value(), id, episode, "IN_REVIEW", null, null, null, 1)),
        List.of(new BookkeepingRecord(id.value(), id, episode, "OPEN", null, null, null, 1)),
        List.of(new QueueItem("Q-" + id.value(), id, episode, QueueItem.OPEN, null, 1)),
        archive);
  }

  /** A finalized event as the review board emits it. */
  static ScenarioStep.Deliver event(
      String eventId, String escalationId, int version, String episode, List<String> actions) {
    ObjectNode event = MAPPER.createObjectNode();
    Instant finalizedAt = FINALIZED.plusSeconds(3600L * (version - 1));
    event.put("specversion", "1.0");
    event.put("id", eventId);
    event.put("source", "urn:support:review-board");
    event.put("type", "support.review.disposition.finalized");
    event.put("subject", escalationId);
    event.put("time", finalizedAt.toString());
    event.put("datacontenttype", "application/json");
    ObjectNode data = event.putObject("data");
    data.put("escalationId", escalationId);
    data.put("episodeId", episode);
    data.put("disposition", "CLOSURE_APPROVED");
    data.put("dispositionVersion", version);
    data.put("finalizedAt", finalizedAt.toString());
    ArrayNode refs = data.putArray("archiveRefs");
    for (ArchiveRef ref : refs(escalationId, version)) {
      refs.addObject().put("kind", ref.kind()).put("uri", ref.uri()).put("sha256", ref.sha256());
    }
    ArrayNode requested = data.putArray("requestedActions");
    actions.forEach(requested::add);
    return new ScenarioStep.Deliver(MAPPER.writeValueAsBytes(event), eventId, escalationId);
  }

  static ScenarioStep.Deliver event(String eventId, String escalationId) {
    return event(eventId, escalationId, 1, "EP-1", List.of());
  }
}
