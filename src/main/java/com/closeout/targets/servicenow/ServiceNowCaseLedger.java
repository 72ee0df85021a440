package com.closeout.targets.servicenow;

import static com.closeout.targets.rest.ContractClient.query;
import static com.closeout.targets.rest.ContractClient.segment;
import static com.closeout.targets.rest.JsonTree.text;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.IdempotencyKey;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.CaseLedger;
import com.closeout.targets.ReviewState;
import com.closeout.targets.TargetUnavailableException;
import com.closeout.targets.WriteResult;
import com.closeout.targets.rest.ContractClient;
import com.closeout.targets.rest.ContractClient.Answer;
import com.closeout.targets.rest.JsonTree;
import com.closeout.targets.servicenow.ServiceNowSettings.ClosedAtFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The case ledger on ServiceNow (Table API). The record of an escalation is found by an encoded
 * query on the escalation-id column; Closeout's values live in configured columns; the archive
 * references in one string column as a JSON array.
 *
 * <p>The Table API has no conditional update (no ETag, no query-scoped PATCH): the revision is
 * {@code sys_mod_count}, re-read right before each PATCH, and the PATCH's answer must show it moved
 * by exactly one with Closeout's values in place, else the write is reported as a conflict for the
 * engine to re-read. See docs/decisions/0003-jira-and-servicenow.md.
 */
public final class ServiceNowCaseLedger implements CaseLedger {
  private static final DateTimeFormatter GLIDE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private final ContractClient client;
  private final ServiceNowSettings settings;

  public ServiceNowCaseLedger(ContractClient client, ServiceNowSettings settings) {
    this.client = Objects.requireNonNull(client, "client");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public Optional<BookkeepingRecord> findByEscalation(EscalationId escalationId) {
    String id = escalationId.value();
    if (id.contains("^") || id.chars().anyMatch(Character::isISOControl)) {
      throw unavailable("escalation id " + id + " cannot be put into an encoded query");
    }
    // Two rows at most: one is the mapping, two means it is ambiguous.
    Answer answer =
        client.call(
            "GET",
            tablePath()
                + "?sysparm_query="
                + query(settings.escalationIdColumn() + "=" + id)
                + "&"
                + readParameters()
                + "&sysparm_limit=2",
            null,
            false);
    if (!answer.ok()) {
      throw refusal(answer, false, "query");
    }
    JsonNode result = JsonTree.parse(answer.body(), client.system(), "query").path("result");
    List<JsonNode> rows = new ArrayList<>();
    for (JsonNode row : result) {
      if (id.equals(text(row.get(settings.escalationIdColumn())))) {
        rows.add(row);
      }
    }
    if (rows.size() > 1) {
      throw unavailable(
          "more than one " + settings.table() + " record holds escalation " + escalationId);
    }
    return rows.isEmpty() ? Optional.empty() : Optional.of(toRecord(rows.get(0)));
  }

  @Override
  public WriteResult setReviewState(
      String recordId, ReviewState state, long expectedRevision, IdempotencyKey key) {
    Optional<JsonNode> read = readRow(recordId);
    if (read.isEmpty()) {
      return WriteResult.NOT_FOUND;
    }
    if (revision(read.get()) != expectedRevision) {
      return WriteResult.REVISION_CONFLICT;
    }
    if (reviewState(read.get()).equals(state)) {
      return WriteResult.REPLAYED;
    }
    ObjectNode body = JsonTree.object();
    body.put(
        settings.statusColumn(),
        ReviewState.REVIEW_COMPLETE.equals(state.status())
            ? settings.reviewCompleteValue()
            : Objects.requireNonNullElse(state.status(), ""));
    body.put(
        settings.dispositionVersionColumn(),
        state.dispositionVersion() == null ? "" : state.dispositionVersion().toString());
    body.put(settings.closedAtColumn(), closedAtText(state.closedAt()));
    return patch(recordId, body, expectedRevision, row -> reviewState(row).equals(state));
  }

  @Override
  public WriteResult linkArchiveRef(
      String recordId, ArchiveRef ref, long expectedRevision, IdempotencyKey key) {
    Optional<JsonNode> read = readRow(recordId);
    if (read.isEmpty()) {
      return WriteResult.NOT_FOUND;
    }
    if (revision(read.get()) != expectedRevision) {
      return WriteResult.REVISION_CONFLICT;
    }
    List<ArchiveRef> refs = new ArrayList<>(archiveRefs(read.get()));
    if (refs.stream().anyMatch(r -> r.uri().equals(ref.uri()))) {
      return WriteResult.REPLAYED;
    }
    refs.add(ref);
    ObjectNode body = JsonTree.object();
    body.put(settings.archiveRefsColumn(), refsText(refs));
    return patch(
        recordId,
        body,
        expectedRevision,
        row -> archiveRefs(row).stream().anyMatch(r -> r.uri().equals(ref.uri())));
  }

  @Override
  public WriteResult unlinkArchiveRef(
      String recordId, String uri, long expectedRevision, IdempotencyKey key) {
    Optional<JsonNode> read = readRow(recordId);
    if (read.isEmpty()) {
      return WriteResult.NOT_FOUND;
    }
    if (revision(read.get()) != expectedRevision) {
      return WriteResult.REVISION_CONFLICT;
    }
    List<ArchiveRef> refs = new ArrayList<>(archiveRefs(read.get()));
    if (!refs.removeIf(r -> r.uri().equals(uri))) {
      return WriteResult.REPLAYED;
    }
    ObjectNode body = JsonTree.object();
    body.put(settings.archiveRefsColumn(), refsText(refs));
    return patch(
        recordId,
        body,
        expectedRevision,
        row -> archiveRefs(row).stream().noneMatch(r -> r.uri().equals(uri)));
  }

  private interface Check {
    boolean holds(JsonNode row);
  }

  /**
   * The PATCH, then its answer checked: {@code sys_mod_count} moved by exactly one and the row
   * holds what was written. Anything else means another writer came between the re-read and the
   * PATCH.
   */
  private WriteResult patch(String sysId, ObjectNode body, long expectedRevision, Check written) {
    Answer answer =
        client.call(
            "PATCH",
            recordPath(sysId) + "?" + readParameters() + "&sysparm_input_display_value=false",
            JsonTree.bytes(body),
            true);
    if (answer.notFound()) {
      return WriteResult.NOT_FOUND;
    }
    if (answer.status() == 409 || answer.status() == 412) {
      return WriteResult.REVISION_CONFLICT;
    }
    if (!answer.ok()) {
      throw refusal(answer, true, "update");
    }
    JsonNode row = JsonTree.parse(answer.body(), client.system(), "update").path("result");
    return revision(row) == expectedRevision + 1 && written.holds(row)
        ? WriteResult.APPLIED
        : WriteResult.REVISION_CONFLICT;
  }

  private Optional<JsonNode> readRow(String sysId) {
    Answer answer = client.call("GET", recordPath(sysId) + "?" + readParameters(), null, false);
    if (answer.notFound()) {
      return Optional.empty();
    }
    if (!answer.ok()) {
      throw refusal(answer, false, "read");
    }
    return Optional.of(JsonTree.parse(answer.body(), client.system(), "read").path("result"));
  }

  private String tablePath() {
    return "/api/now/table/" + segment(settings.table());
  }

  private String recordPath(String sysId) {
    return tablePath() + "/" + segment(sysId);
  }

  /** Raw values (no display values, no reference links), only the columns Closeout reads. */
  private String readParameters() {
    return "sysparm_fields="
        + query(String.join(",", settings.columns()))
        + "&sysparm_display_value=false&sysparm_exclude_reference_link=true";
  }

  private BookkeepingRecord toRecord(JsonNode row) {
    String sysId = text(row.get("sys_id"));
    if (sysId == null) {
      throw unavailable("record without sys_id");
    }
    ReviewState state = reviewState(row);
    String episode = text(row.get(settings.episodeIdColumn()));
    return new BookkeepingRecord(
        sysId,
        new EscalationId(text(row.get(settings.escalationIdColumn()))),
        episode == null ? null : new EpisodeId(episode),
        state.status(),
        state.dispositionVersion(),
        state.closedAt(),
        archiveRefs(row),
        revision(row));
  }

  private ReviewState reviewState(JsonNode row) {
    String status = text(row.get(settings.statusColumn()));
    if (settings.reviewCompleteValue().equals(status)) {
      status = ReviewState.REVIEW_COMPLETE;
    }
    String version = text(row.get(settings.dispositionVersionColumn()));
    Integer dispositionVersion;
    try {
      dispositionVersion = version == null ? null : Integer.valueOf(version);
    } catch (NumberFormatException e) {
      throw unavailable(settings.dispositionVersionColumn() + " does not hold an integer");
    }
    return new ReviewState(
        status, dispositionVersion, closedAt(text(row.get(settings.closedAtColumn()))));
  }

  private long revision(JsonNode row) {
    String count = text(row.get("sys_mod_count"));
    try {
      return Long.parseLong(Objects.requireNonNull(count));
    } catch (NullPointerException | NumberFormatException e) {
      throw unavailable("record without a sys_mod_count: cannot guard a write");
    }
  }

  private String closedAtText(Instant closedAt) {
    if (closedAt == null) {
      return "";
    }
    return settings.closedAtFormat() == ClosedAtFormat.ISO_8601
        ? closedAt.toString()
        : GLIDE.format(closedAt.atOffset(ZoneOffset.UTC));
  }

  /** A glide date/time (UTC, as the Table API gives raw values) or ISO-8601. */
  private Instant closedAt(String text) {
    if (text == null) {
      return null;
    }
    try {
      return LocalDateTime.parse(text, GLIDE).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException again) {
        throw unavailable(settings.closedAtColumn() + " does not hold a date/time");
      }
    }
  }

  private List<ArchiveRef> archiveRefs(JsonNode row) {
    String text = text(row.get(settings.archiveRefsColumn()));
    if (text == null) {
      return List.of();
    }
    JsonNode array =
        JsonTree.parse(text.getBytes(StandardCharsets.UTF_8), client.system(), "archive refs");
    if (!array.isArray()) {
      throw unavailable(settings.archiveRefsColumn() + " does not hold a JSON array");
    }
    List<ArchiveRef> refs = new ArrayList<>();
    for (JsonNode ref : array) {
      String uri = text(ref.get("uri"));
      if (uri != null) {
        refs.add(
            new ArchiveRef(
                Objects.requireNonNullElse(text(ref.get("kind")), "UNKNOWN"),
                uri,
                Objects.requireNonNullElse(text(ref.get("sha256")), "")));
      }
    }
    return refs;
  }

  private static String refsText(List<ArchiveRef> refs) {
    ArrayNode array = JsonTree.object().arrayNode();
    for (ArchiveRef ref : refs) {
      array.addObject().put("kind", ref.kind()).put("uri", ref.uri()).put("sha256", ref.sha256());
    }
    return JsonTree.string(array);
  }

  /** 401/403/429/5xx as the contract maps them; other statuses by number only, no body. */
  private TargetUnavailableException refusal(Answer answer, boolean write, String what) {
    return client.refusal(answer, write, "unexpected on " + what);
  }

  private TargetUnavailableException unavailable(String message) {
    return new TargetUnavailableException(client.system(), message, false);
  }
}
