package com.closeout.targets.jira;

import static com.closeout.targets.rest.ContractClient.query;
import static com.closeout.targets.rest.ContractClient.segment;
import static com.closeout.targets.rest.JsonTree.text;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.IdempotencyKey;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.EscalationTracker;
import com.closeout.targets.ReviewState;
import com.closeout.targets.TargetUnavailableException;
import com.closeout.targets.WriteResult;
import com.closeout.targets.rest.ContractClient;
import com.closeout.targets.rest.ContractClient.Answer;
import com.closeout.targets.rest.JsonTree;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The escalation tracker on Jira Service Management (Jira Cloud REST API v3). The issue of an
 * escalation is found by JQL on the escalation-id custom field; Closeout's values live in custom
 * fields; REVIEW_COMPLETE is a workflow status reached by a transition; archive references are
 * remote links whose {@code globalId} is derived from the archive URI, so Jira keeps one link per
 * URI however often it is posted.
 *
 * <p>Jira has no conditional update: the revision is the issue's {@code fields.updated} in epoch
 * milliseconds, re-read right before each write, and each review-state write is read back after.
 * See docs/decisions/0003-jira-and-servicenow.md for what that guard can and cannot do.
 */
public final class JiraEscalationTracker implements EscalationTracker {
  /** Remote links Closeout owns carry a globalId with this prefix; other links are not read. */
  static final String GLOBAL_ID_PREFIX = "closeout:archive:";

  static final String RELATIONSHIP = "archive reference";
  private static final int MAX_PAGES = 20;
  private static final DateTimeFormatter JIRA_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

  private final ContractClient client;
  private final JiraSettings settings;

  public JiraEscalationTracker(ContractClient client, JiraSettings settings) {
    this.client = Objects.requireNonNull(client, "client");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public Optional<BookkeepingRecord> findByEscalation(EscalationId escalationId) {
    List<JsonNode> matches = new ArrayList<>();
    String pageToken = null;
    for (int page = 0; page < MAX_PAGES; page++) {
      JsonNode body = search(escalationId, pageToken);
      for (JsonNode issue : body.path("issues")) {
        // JQL's ~ is a text search: the exact value is checked here.
        if (escalationId.value().equals(text(fields(issue).get(settings.escalationIdField())))) {
          matches.add(issue);
        }
      }
      pageToken = text(body.get("nextPageToken"));
      if (pageToken == null || body.path("isLast").asBoolean(false)) {
        break;
      }
      if (page == MAX_PAGES - 1) {
        throw unavailable(
            "search for " + escalationId + " did not end within " + MAX_PAGES + " pages");
      }
    }
    if (matches.isEmpty()) {
      return Optional.empty();
    }
    if (matches.size() > 1) {
      throw unavailable(
          matches.size() + " issues in " + settings.project() + " hold escalation " + escalationId);
    }
    JsonNode issue = matches.get(0);
    String key = text(issue.get("key"));
    if (key == null) {
      throw unavailable("search answer without an issue key");
    }
    Optional<List<ArchiveRef>> links = remoteLinks(key);
    return links.map(refs -> toRecord(key, fields(issue), refs));
  }

  @Override
  public WriteResult setReviewState(
      String recordId, ReviewState state, long expectedRevision, IdempotencyKey key) {
    Optional<JsonNode> read = readFields(recordId);
    if (read.isEmpty()) {
      return WriteResult.NOT_FOUND;
    }
    JsonNode fields = read.get();
    if (revision(fields) != expectedRevision) {
      return WriteResult.REVISION_CONFLICT;
    }
    if (reviewState(fields).equals(state)) {
      return WriteResult.REPLAYED;
    }
    // The transition first: a workflow post-function that clears fields cannot undo ours.
    String targetStatus =
        ReviewState.REVIEW_COMPLETE.equals(state.status())
            ? settings.reviewCompleteStatus()
            : state.status();
    String currentStatus = text(fields.path("status").get("name"));
    if (targetStatus != null && !targetStatus.equalsIgnoreCase(currentStatus)) {
      WriteResult moved = transition(recordId, currentStatus, targetStatus);
      if (moved != WriteResult.APPLIED) {
        return moved;
      }
    }
    WriteResult edited = editFields(recordId, state);
    if (edited != WriteResult.APPLIED) {
      return edited;
    }
    // Read after write: someone may have edited between our re-read and our writes.
    Optional<JsonNode> after = readFields(recordId);
    if (after.isEmpty()) {
      return WriteResult.NOT_FOUND;
    }
    return reviewState(after.get()).equals(state)
        ? WriteResult.APPLIED
        : WriteResult.REVISION_CONFLICT;
  }

  @Override
  public WriteResult linkArchiveRef(
      String recordId, ArchiveRef ref, long expectedRevision, IdempotencyKey key) {
    Optional<JsonNode> read = readFields(recordId);
    if (read.isEmpty()) {
      return WriteResult.NOT_FOUND;
    }
    if (revision(read.get()) != expectedRevision) {
      return WriteResult.REVISION_CONFLICT;
    }
    Optional<List<ArchiveRef>> links = remoteLinks(recordId);
    if (links.isEmpty()) {
      return WriteResult.NOT_FOUND;
    }
    // Jira would update the link in place, but it still records an activity entry: skip instead.
    if (links.get().stream().anyMatch(l -> l.uri().equals(ref.uri()))) {
      return WriteResult.REPLAYED;
    }
    ObjectNode body = JsonTree.object();
    body.put("globalId", globalId(ref.uri()));
    body.put("relationship", RELATIONSHIP);
    ObjectNode object = body.putObject("object");
    object.put("url", ref.uri());
    object.put("title", ref.kind());
    object.put("summary", "sha256:" + ref.sha256());
    Answer answer =
        client.call(
            "POST",
            "/rest/api/3/issue/" + segment(recordId) + "/remotelink",
            JsonTree.bytes(body),
            true);
    return writeResult(answer);
  }

  @Override
  public WriteResult unlinkArchiveRef(
      String recordId, String uri, long expectedRevision, IdempotencyKey key) {
    Optional<JsonNode> read = readFields(recordId);
    if (read.isEmpty()) {
      return WriteResult.NOT_FOUND;
    }
    if (revision(read.get()) != expectedRevision) {
      return WriteResult.REVISION_CONFLICT;
    }
    Answer answer =
        client.call(
            "DELETE",
            "/rest/api/3/issue/"
                + segment(recordId)
                + "/remotelink?globalId="
                + query(globalId(uri)),
            null,
            true);
    if (answer.notFound()) {
      // The issue was there a moment ago: the link is already gone, which is what was asked.
      return readFields(recordId).isPresent() ? WriteResult.REPLAYED : WriteResult.NOT_FOUND;
    }
    return writeResult(answer);
  }

  /** The remote link's globalId for an archive URI: stable, at most 255 characters. */
  static String globalId(String uri) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(uri.getBytes(StandardCharsets.UTF_8));
      return GLOBAL_ID_PREFIX + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private JsonNode search(EscalationId escalationId, String pageToken) {
    ObjectNode body = JsonTree.object();
    body.put("jql", jql(escalationId));
    ArrayNode fields = body.putArray("fields");
    readFieldNames().forEach(fields::add);
    body.put("maxResults", settings.pageSize());
    if (pageToken != null) {
      body.put("nextPageToken", pageToken);
    }
    Answer answer = client.call("POST", "/rest/api/3/search/jql", JsonTree.bytes(body), false);
    if (!answer.ok()) {
      throw refusal(answer, false, "search");
    }
    return JsonTree.parse(answer.body(), client.system(), "search");
  }

  /** {@code project = "SUP" AND cf[10042] ~ "\"ESC-1\""}: a phrase search, exact match after. */
  String jql(EscalationId escalationId) {
    String phrase = "\"" + escalationId.value() + "\"";
    return "project = "
        + literal(settings.project())
        + " AND "
        + settings.jqlName(settings.escalationIdField())
        + " ~ "
        + literal(phrase);
  }

  private static String literal(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private List<String> readFieldNames() {
    List<String> names = new ArrayList<>(List.of("status", "updated"));
    names.addAll(settings.customFields());
    return names;
  }

  private Optional<JsonNode> readFields(String issueKey) {
    Answer answer =
        client.call(
            "GET",
            "/rest/api/3/issue/"
                + segment(issueKey)
                + "?fields="
                + query(String.join(",", readFieldNames())),
            null,
            false);
    if (answer.notFound()) {
      return Optional.empty();
    }
    if (!answer.ok()) {
      throw refusal(answer, false, "issue read");
    }
    return Optional.of(fields(JsonTree.parse(answer.body(), client.system(), "issue read")));
  }

  /** Closeout's remote links on the issue; empty when the issue is gone. */
  private Optional<List<ArchiveRef>> remoteLinks(String issueKey) {
    Answer answer =
        client.call("GET", "/rest/api/3/issue/" + segment(issueKey) + "/remotelink", null, false);
    if (answer.notFound()) {
      return Optional.empty();
    }
    if (!answer.ok()) {
      throw refusal(answer, false, "remote links read");
    }
    List<ArchiveRef> refs = new ArrayList<>();
    for (JsonNode link : JsonTree.parse(answer.body(), client.system(), "remote links")) {
      String globalId = text(link.get("globalId"));
      if (globalId == null || !globalId.startsWith(GLOBAL_ID_PREFIX)) {
        continue;
      }
      JsonNode object = link.path("object");
      String uri = text(object.get("url"));
      if (uri == null || !globalId.equals(globalId(uri))) {
        continue; // edited by hand: no longer the link Closeout wrote
      }
      String kind = Objects.requireNonNullElse(text(object.get("title")), "UNKNOWN");
      String summary = Objects.requireNonNullElse(text(object.get("summary")), "");
      String sha256 = summary.startsWith("sha256:") ? summary.substring(7) : "";
      refs.add(new ArchiveRef(kind, uri, sha256));
    }
    return Optional.of(refs);
  }

  private WriteResult transition(String issueKey, String from, String to) {
    String path = "/rest/api/3/issue/" + segment(issueKey) + "/transitions";
    Answer offered = client.call("GET", path, null, false);
    if (offered.notFound()) {
      return WriteResult.NOT_FOUND;
    }
    if (!offered.ok()) {
      throw refusal(offered, false, "transitions read");
    }
    String transitionId = null;
    for (JsonNode t :
        JsonTree.parse(offered.body(), client.system(), "transitions").path("transitions")) {
      if (to.equalsIgnoreCase(text(t.path("to").get("name")))) {
        transitionId = text(t.get("id"));
        break;
      }
    }
    if (transitionId == null) {
      // A workflow question for a person, not something a retry soon will change.
      throw unavailable(
          "the workflow offers no transition from '" + from + "' to '" + to + "' on " + issueKey);
    }
    ObjectNode body = JsonTree.object();
    body.putObject("transition").put("id", transitionId);
    return writeResult(client.call("POST", path, JsonTree.bytes(body), true));
  }

  private WriteResult editFields(String issueKey, ReviewState state) {
    ObjectNode body = JsonTree.object();
    ObjectNode fields = body.putObject("fields");
    if (state.dispositionVersion() == null) {
      fields.putNull(settings.dispositionVersionField());
    } else {
      fields.put(settings.dispositionVersionField(), state.dispositionVersion());
    }
    if (state.closedAt() == null) {
      fields.putNull(settings.closedAtField());
    } else {
      fields.put(
          settings.closedAtField(), JIRA_TIME.format(state.closedAt().atOffset(ZoneOffset.UTC)));
    }
    String path =
        "/rest/api/3/issue/"
            + segment(issueKey)
            + (settings.notifyUsers() ? "" : "?notifyUsers=false");
    return writeResult(client.call("PUT", path, JsonTree.bytes(body), true));
  }

  private WriteResult writeResult(Answer answer) {
    if (answer.ok()) {
      return WriteResult.APPLIED;
    }
    if (answer.notFound()) {
      return WriteResult.NOT_FOUND;
    }
    if (answer.status() == 409 || answer.status() == 412) {
      return WriteResult.REVISION_CONFLICT;
    }
    throw refusal(answer, true, "write");
  }

  /**
   * 401/403/429/5xx as the contract maps them; a 400 names the fields Jira rejected (their ids,
   * never the values or Jira's messages, which can quote them).
   */
  private TargetUnavailableException refusal(Answer answer, boolean write, String what) {
    if (answer.status() == 400) {
      List<String> rejected = new ArrayList<>();
      try {
        JsonTree.parse(answer.body(), client.system(), what)
            .path("errors")
            .propertyNames()
            .forEach(rejected::add);
      } catch (TargetUnavailableException e) {
        // an error body that is not JSON names no field
      }
      return unavailable(
          "HTTP 400 on "
              + what
              + (rejected.isEmpty() ? "" : ": Jira rejected " + String.join(", ", rejected)));
    }
    return client.refusal(answer, write, "unexpected on " + what);
  }

  private TargetUnavailableException unavailable(String message) {
    return new TargetUnavailableException(client.system(), message, false);
  }

  private static JsonNode fields(JsonNode issue) {
    return issue.path("fields");
  }

  private BookkeepingRecord toRecord(String key, JsonNode fields, List<ArchiveRef> refs) {
    ReviewState state = reviewState(fields);
    String episode = text(fields.get(settings.episodeIdField()));
    return new BookkeepingRecord(
        key,
        new EscalationId(text(fields.get(settings.escalationIdField()))),
        episode == null ? null : new EpisodeId(episode),
        state.status(),
        state.dispositionVersion(),
        state.closedAt(),
        refs,
        revision(fields));
  }

  /** The review state as the engine sees it: the review-complete status reads REVIEW_COMPLETE. */
  private ReviewState reviewState(JsonNode fields) {
    String status = text(fields.path("status").get("name"));
    if (status != null && status.equalsIgnoreCase(settings.reviewCompleteStatus())) {
      status = ReviewState.REVIEW_COMPLETE;
    }
    JsonNode version = fields.get(settings.dispositionVersionField());
    Integer dispositionVersion = null;
    if (text(version) != null) {
      try {
        dispositionVersion = (int) Double.parseDouble(text(version));
      } catch (NumberFormatException e) {
        throw unavailable(settings.dispositionVersionField() + " does not hold a number");
      }
    }
    return new ReviewState(
        status, dispositionVersion, time(text(fields.get(settings.closedAtField()))));
  }

  private long revision(JsonNode fields) {
    Instant updated = time(text(fields.get("updated")));
    if (updated == null) {
      throw unavailable("issue without fields.updated: cannot guard a write");
    }
    return updated.toEpochMilli();
  }

  /** Jira's {@code 2026-11-20T10:14:58.000+0000}, or ISO-8601 from a text field. */
  private Instant time(String text) {
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text, JIRA_TIME).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException again) {
        throw unavailable("a date-time field does not hold a date-time");
      }
    }
  }
}
