package com.closeout.evaluation;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.FollowUpReason;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.SourceStatus;
import com.closeout.domain.Step;
import com.closeout.domain.TargetSystem;
import com.closeout.followup.Resolution;
import com.closeout.sandbox.FaultKind;
import com.closeout.sandbox.RestrictedContent;
import com.closeout.targets.ArchiveObject;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.QueueItem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a scenario file (SPEC §7.1). Strict on purpose: a key, step, fault kind, system or status
 * the runner does not know is an error naming where it is, never ignored, so a typo cannot turn a
 * scenario into one that tests nothing. Messages never quote restricted fields' values.
 */
public final class ScenarioFile {
  /** Outcomes a scenario may expect of an escalation (SPEC §7.2, plus our own closure states). */
  public static final Set<String> OUTCOMES =
      Set.of(
          "COMPLETED",
          "FOLLOW_UP",
          "IN_PROGRESS",
          "NONE",
          "REVERTED",
          "REVERTING",
          "REVERT_CONFLICT",
          "DISMISSED");

  /** Outcomes a scenario may expect of an event. */
  public static final Set<String> EVENT_OUTCOMES =
      Set.of(
          "COMPLETED",
          "FOLLOW_UP",
          "IN_PROGRESS",
          "DUPLICATE",
          "STALE",
          "IGNORED",
          "REJECTED",
          "REVERTED",
          "REVERTING",
          "REVERT_CONFLICT",
          "DISMISSED");

  private static final Set<String> TOP =
      Set.of("name", "description", "seed", "systems", "steps", "expect", "expectEvents");
  private static final Set<String> SYSTEMS =
      Set.of("review", "tracker", "ledger", "queue", "archive");
  private static final Set<String> REVIEW =
      Set.of(
          "escalationId",
          "episodeId",
          "severity",
          "status",
          "disposition",
          "dispositionVersion",
          "finalizedAt",
          "archiveRefs",
          "customerTranscript",
          "concessionNotes",
          "reviewerDiscussion",
          "customerContact");
  private static final Set<String> CONTACT = Set.of("name", "email");
  private static final Set<String> BOOKKEEPING =
      Set.of(
          "recordId",
          "escalationId",
          "episodeId",
          "status",
          "dispositionVersion",
          "closedAt",
          "archiveRefs",
          "revision");
  private static final Set<String> QUEUE =
      Set.of("itemId", "escalationId", "episodeId", "status", "closedAt", "revision");
  private static final Set<String> ARCHIVE = Set.of("uri", "sha256", "kind");
  private static final Set<String> REF = Set.of("kind", "uri", "sha256");
  private static final Set<String> FAULT = Set.of("system", "failures", "kind");
  private static final Set<String> CRASH = Set.of("afterStep");
  private static final Set<String> REVERT = Set.of("escalationId", "dispositionVersion");
  private static final Set<String> RESOLVE = Set.of("escalationId", "reason", "action", "comment");
  private static final Set<String> EXPECT =
      Set.of("outcome", "reasons", "tracker", "ledger", "queue", "notifications", "writes");
  private static final Set<String> EXPECT_TARGET =
      Set.of("status", "dispositionVersion", "closedAt", "archiveRefs");
  private static final Set<String> EXPECT_QUEUE = Set.of("status", "closedAt");
  private static final Set<String> EXPECT_WRITES =
      Set.of("tracker", "ledger", "queue", "notification");
  private static final List<String> STEP_KINDS =
      List.of(
          "event", "review", "tracker", "ledger", "queue", "archive", "fault", "crash", "run",
          "revert", "resolve");
  private static final Set<TargetSystem> FAULT_SYSTEMS =
      Set.of(
          TargetSystem.REVIEW,
          TargetSystem.TRACKER,
          TargetSystem.LEDGER,
          TargetSystem.QUEUE,
          TargetSystem.ARCHIVE,
          TargetSystem.NOTIFICATION);

  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private ScenarioFile() {}

  public static Scenario parse(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new MalformedScenarioException(
          file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
    }
    String fallbackName = file.getFileName().toString().replaceFirst("\\.json$", "");
    return parse(bytes, fallbackName);
  }

  /** Parses scenario JSON; {@code fallbackName} names it when the file has no {@code name}. */
  public static Scenario parse(byte[] json, String fallbackName) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JacksonException e) {
      throw new MalformedScenarioException("not well-formed JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new MalformedScenarioException("the scenario must be a JSON object");
    }
    onlyKeys(root, TOP, "scenario");
    String name = root.has("name") ? string(root.get("name"), "name") : fallbackName;
    if (name == null || name.isBlank()) {
      throw new MalformedScenarioException("name: expected a non-blank string");
    }
    long seed = root.has("seed") ? integer(root.get("seed"), "seed") : Scenario.DEFAULT_SEED;
    ScenarioSystems systems =
        root.has("systems") ? systems(root.get("systems")) : ScenarioSystems.EMPTY;
    List<ScenarioStep> steps = root.has("steps") ? steps(root.get("steps")) : List.of();
    if (!root.has("expect")) {
      throw new MalformedScenarioException("expect: required (an object by escalation id)");
    }
    Map<String, EscalationExpectation> expect = expectations(root.get("expect"));
    Map<String, String> expectEvents =
        root.has("expectEvents") ? eventExpectations(root.get("expectEvents")) : Map.of();
    return new Scenario(name, systems, steps, expect, expectEvents, seed);
  }

  // ---- systems ---------------------------------------------------------------------------------

  private static ScenarioSystems systems(JsonNode node) {
    object(node, "systems");
    onlyKeys(node, SYSTEMS, "systems");
    List<ReviewSeed> review = new ArrayList<>();
    List<BookkeepingRecord> tracker = new ArrayList<>();
    List<BookkeepingRecord> ledger = new ArrayList<>();
    List<QueueItem> queue = new ArrayList<>();
    List<ArchiveObject> archive = new ArrayList<>();
    forEach(node.get("review"), "systems.review", (entry, path) -> review.add(review(entry, path)));
    forEach(
        node.get("tracker"),
        "systems.tracker",
        (entry, path) -> tracker.add(bookkeeping(entry, path)));
    forEach(
        node.get("ledger"),
        "systems.ledger",
        (entry, path) -> ledger.add(bookkeeping(entry, path)));
    forEach(node.get("queue"), "systems.queue", (entry, path) -> queue.add(queueItem(entry, path)));
    forEach(
        node.get("archive"),
        "systems.archive",
        (entry, path) -> archive.add(archiveObject(entry, path)));
    return new ScenarioSystems(review, tracker, ledger, queue, archive);
  }

  static ReviewSeed review(JsonNode node, String path) {
    object(node, path);
    onlyKeys(node, REVIEW, path);
    EscalationId escalationId = escalationId(node, path);
    String status = optionalString(node.get("status"), path + ".status");
    SourceStatus sourceStatus = null;
    if (status != null) {
      sourceStatus =
          Arrays.stream(SourceStatus.values())
              .filter(s -> s.name().equals(status))
              .findFirst()
              .orElseThrow(
                  () ->
                      new MalformedScenarioException(
                          path
                              + ".status: unknown status \""
                              + status
                              + "\" (expected "
                              + names(SourceStatus.values())
                              + ")"));
    }
    Integer version = optionalInteger(node.get("dispositionVersion"), path + ".dispositionVersion");
    SourceRecord record =
        new SourceRecord(
            escalationId,
            episodeId(node, path),
            optionalString(node.get("severity"), path + ".severity"),
            sourceStatus,
            optionalString(node.get("disposition"), path + ".disposition"),
            version == null ? 0 : version,
            optionalInstant(node.get("finalizedAt"), path + ".finalizedAt"),
            archiveRefs(node.get("archiveRefs"), path + ".archiveRefs"));
    String contactName = null;
    String contactEmail = null;
    JsonNode contact = node.get("customerContact");
    if (contact != null && !contact.isNull()) {
      object(contact, path + ".customerContact");
      onlyKeys(contact, CONTACT, path + ".customerContact");
      contactName = optionalString(contact.get("name"), path + ".customerContact.name");
      contactEmail = optionalString(contact.get("email"), path + ".customerContact.email");
    }
    RestrictedContent restricted =
        new RestrictedContent(
            optionalString(node.get("customerTranscript"), path + ".customerTranscript"),
            optionalString(node.get("concessionNotes"), path + ".concessionNotes"),
            optionalString(node.get("reviewerDiscussion"), path + ".reviewerDiscussion"),
            contactName,
            contactEmail);
    return new ReviewSeed(record, restricted);
  }

  static BookkeepingRecord bookkeeping(JsonNode node, String path) {
    object(node, path);
    onlyKeys(node, BOOKKEEPING, path);
    EscalationId escalationId = escalationId(node, path);
    String recordId = optionalString(node.get("recordId"), path + ".recordId");
    return new BookkeepingRecord(
        recordId == null ? escalationId.value() : recordId,
        escalationId,
        episodeId(node, path),
        optionalString(node.get("status"), path + ".status"),
        optionalInteger(node.get("dispositionVersion"), path + ".dispositionVersion"),
        optionalInstant(node.get("closedAt"), path + ".closedAt"),
        archiveRefs(node.get("archiveRefs"), path + ".archiveRefs"),
        revision(node, path));
  }

  static QueueItem queueItem(JsonNode node, String path) {
    object(node, path);
    onlyKeys(node, QUEUE, path);
    EscalationId escalationId = escalationId(node, path);
    String itemId = optionalString(node.get("itemId"), path + ".itemId");
    return new QueueItem(
        itemId == null ? "Q-" + escalationId.value() : itemId,
        escalationId,
        episodeId(node, path),
        optionalString(node.get("status"), path + ".status"),
        optionalInstant(node.get("closedAt"), path + ".closedAt"),
        revision(node, path));
  }

  static ArchiveObject archiveObject(JsonNode node, String path) {
    object(node, path);
    onlyKeys(node, ARCHIVE, path);
    String uri = string(node.get("uri"), path + ".uri");
    return new ArchiveObject(uri, optionalString(node.get("sha256"), path + ".sha256"));
  }

  private static List<ArchiveRef> archiveRefs(JsonNode node, String path) {
    List<ArchiveRef> refs = new ArrayList<>();
    forEach(
        node,
        path,
        (ref, refPath) -> {
          object(ref, refPath);
          onlyKeys(ref, REF, refPath);
          refs.add(
              new ArchiveRef(
                  string(ref.get("kind"), refPath + ".kind"),
                  string(ref.get("uri"), refPath + ".uri"),
                  string(ref.get("sha256"), refPath + ".sha256")));
        });
    return refs;
  }

  private static EscalationId escalationId(JsonNode node, String path) {
    return new EscalationId(string(node.get("escalationId"), path + ".escalationId"));
  }

  private static EpisodeId episodeId(JsonNode node, String path) {
    String episode = optionalString(node.get("episodeId"), path + ".episodeId");
    return episode == null ? null : new EpisodeId(episode);
  }

  private static long revision(JsonNode node, String path) {
    Integer revision = optionalInteger(node.get("revision"), path + ".revision");
    if (revision != null && revision < 1) {
      throw new MalformedScenarioException(path + ".revision: expected a positive integer");
    }
    return revision == null ? 1 : revision;
  }

  // ---- steps -----------------------------------------------------------------------------------

  private static List<ScenarioStep> steps(JsonNode node) {
    List<ScenarioStep> steps = new ArrayList<>();
    forEach(node, "steps", (step, path) -> steps.add(step(step, path)));
    return steps;
  }

  private static ScenarioStep step(JsonNode node, String path) {
    object(node, path);
    if (node.size() != 1) {
      throw new MalformedScenarioException(
          path + ": a step is an object with exactly one key, one of " + STEP_KINDS);
    }
    String kind = node.propertyNames().iterator().next();
    JsonNode body = node.get(kind);
    String at = path + "." + kind;
    return switch (kind) {
      case "event" -> deliver(body, at);
      case "review" -> new ScenarioStep.ReplaceReview(review(body, at));
      case "tracker" -> new ScenarioStep.ReplaceTracker(bookkeeping(body, at));
      case "ledger" -> new ScenarioStep.ReplaceLedger(bookkeeping(body, at));
      case "queue" -> new ScenarioStep.ReplaceQueueItem(queueItem(body, at));
      case "archive" -> new ScenarioStep.ReplaceArchiveObject(archiveObject(body, at));
      case "fault" -> fault(body, at);
      case "crash" -> {
        object(body, at);
        onlyKeys(body, CRASH, at);
        yield new ScenarioStep.Crash(
            enumValue(
                Step.class, string(body.get("afterStep"), at + ".afterStep"), at + ".afterStep"));
      }
      case "run" -> {
        if (!body.isBoolean() || !body.booleanValue()) {
          throw new MalformedScenarioException(at + ": expected true");
        }
        yield new ScenarioStep.Run();
      }
      case "revert" -> {
        object(body, at);
        onlyKeys(body, REVERT, at);
        int version = integer(body.get("dispositionVersion"), at + ".dispositionVersion");
        if (version < 1) {
          throw new MalformedScenarioException(
              at + ".dispositionVersion: expected a positive integer");
        }
        yield new ScenarioStep.Revert(
            string(body.get("escalationId"), at + ".escalationId"), version);
      }
      case "resolve" -> {
        object(body, at);
        onlyKeys(body, RESOLVE, at);
        yield new ScenarioStep.Resolve(
            string(body.get("escalationId"), at + ".escalationId"),
            enumValue(
                FollowUpReason.class, string(body.get("reason"), at + ".reason"), at + ".reason"),
            enumValue(Resolution.class, string(body.get("action"), at + ".action"), at + ".action"),
            string(body.get("comment"), at + ".comment"));
      }
      default ->
          throw new MalformedScenarioException(
              path + ": unknown step \"" + kind + "\" (expected one of " + STEP_KINDS + ")");
    };
  }

  private static ScenarioStep deliver(JsonNode body, String path) {
    // The event is delivered as given: the reader, not this parser, decides whether it is well
    // formed, so a scenario can deliver a malformed event on purpose (a string is sent verbatim).
    if (body.isString()) {
      return new ScenarioStep.Deliver(
          body.stringValue().getBytes(java.nio.charset.StandardCharsets.UTF_8), null, null);
    }
    if (!body.isObject()) {
      throw new MalformedScenarioException(path + ": expected a CloudEvent object or a string");
    }
    String id = body.path("id").isString() ? body.get("id").stringValue() : null;
    JsonNode data = body.path("data");
    String escalation =
        data.path("escalationId").isString()
            ? data.get("escalationId").stringValue()
            : body.path("subject").isString() ? body.get("subject").stringValue() : null;
    if (escalation != null && escalation.isBlank()) {
      escalation = null;
    }
    return new ScenarioStep.Deliver(MAPPER.writeValueAsBytes(body), id, escalation);
  }

  private static ScenarioStep fault(JsonNode body, String path) {
    object(body, path);
    onlyKeys(body, FAULT, path);
    String systemName = string(body.get("system"), path + ".system");
    TargetSystem system;
    try {
      system = TargetSystem.fromWireName(systemName);
    } catch (IllegalArgumentException e) {
      system = null;
    }
    if (system == null || !FAULT_SYSTEMS.contains(system)) {
      throw new MalformedScenarioException(
          path
              + ".system: unknown system \""
              + systemName
              + "\" (expected review, tracker, ledger, queue, archive or notification)");
    }
    String kindName = string(body.get("kind"), path + ".kind");
    FaultKind kind;
    try {
      kind = FaultKind.fromName(kindName);
    } catch (IllegalArgumentException e) {
      throw new MalformedScenarioException(
          path
              + ".kind: unknown fault kind \""
              + kindName
              + "\" (expected "
              + names(FaultKind.values())
              + ")");
    }
    int failures = integer(body.get("failures"), path + ".failures");
    if (failures < 1) {
      throw new MalformedScenarioException(path + ".failures: expected a positive integer");
    }
    return new ScenarioStep.Fault(system, kind, failures);
  }

  // ---- expectations ----------------------------------------------------------------------------

  private static Map<String, EscalationExpectation> expectations(JsonNode node) {
    object(node, "expect");
    Map<String, EscalationExpectation> expect = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String path = "expect." + entry.getKey();
      JsonNode body = entry.getValue();
      object(body, path);
      onlyKeys(body, EXPECT, path);
      String outcome = null;
      if (body.has("outcome")) {
        outcome = string(body.get("outcome"), path + ".outcome");
        if (!OUTCOMES.contains(outcome)) {
          throw new MalformedScenarioException(
              path
                  + ".outcome: unknown outcome \""
                  + outcome
                  + "\" (expected one of "
                  + OUTCOMES.stream().sorted().toList()
                  + ")");
        }
      }
      List<String> reasons = null;
      if (body.has("reasons")) {
        List<String> given = new ArrayList<>();
        forEach(
            body.get("reasons"),
            path + ".reasons",
            (reason, reasonPath) ->
                given.add(
                    enumValue(FollowUpReason.class, string(reason, reasonPath), reasonPath)
                        .name()));
        reasons = given;
      }
      JsonNode tracker = partialState(body.get("tracker"), path + ".tracker", EXPECT_TARGET);
      JsonNode ledger = partialState(body.get("ledger"), path + ".ledger", EXPECT_TARGET);
      JsonNode queue = partialState(body.get("queue"), path + ".queue", EXPECT_QUEUE);
      Integer notifications =
          body.has("notifications")
              ? integer(body.get("notifications"), path + ".notifications")
              : null;
      Map<String, Integer> writes = null;
      if (body.has("writes")) {
        JsonNode writesNode = body.get("writes");
        object(writesNode, path + ".writes");
        onlyKeys(writesNode, EXPECT_WRITES, path + ".writes");
        writes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> write : writesNode.properties()) {
          writes.put(write.getKey(), integer(write.getValue(), path + ".writes." + write.getKey()));
        }
      }
      expect.put(
          entry.getKey(),
          new EscalationExpectation(
              outcome, reasons, tracker, ledger, queue, notifications, writes));
    }
    return expect;
  }

  private static JsonNode partialState(JsonNode node, String path, Set<String> allowed) {
    if (node == null) {
      return null;
    }
    if (node.isNull()) {
      // An escalation expected to have no record in that system.
      return node;
    }
    object(node, path);
    onlyKeys(node, allowed, path);
    return node.deepCopy();
  }

  private static Map<String, String> eventExpectations(JsonNode node) {
    object(node, "expectEvents");
    Map<String, String> expect = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String path = "expectEvents." + entry.getKey();
      String outcome = string(entry.getValue(), path);
      if (!EVENT_OUTCOMES.contains(outcome)) {
        throw new MalformedScenarioException(
            path
                + ": unknown event outcome \""
                + outcome
                + "\" (expected one of "
                + EVENT_OUTCOMES.stream().sorted().toList()
                + ")");
      }
      expect.put(entry.getKey(), outcome);
    }
    return expect;
  }

  // ---- field readers ---------------------------------------------------------------------------

  @FunctionalInterface
  private interface EntryReader {
    void read(JsonNode entry, String path);
  }

  private static void forEach(JsonNode node, String path, EntryReader reader) {
    if (node == null || node.isNull()) {
      return;
    }
    if (!node.isArray()) {
      throw new MalformedScenarioException(path + ": expected an array");
    }
    for (int i = 0; i < node.size(); i++) {
      reader.read(node.get(i), path + "[" + i + "]");
    }
  }

  private static void object(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw new MalformedScenarioException(path + ": expected an object");
    }
  }

  private static void onlyKeys(JsonNode node, Set<String> allowed, String path) {
    for (String key : node.propertyNames()) {
      if (!allowed.contains(key)) {
        throw new MalformedScenarioException(
            path
                + ": unknown key \""
                + key
                + "\" (expected "
                + allowed.stream().sorted().collect(Collectors.joining(", "))
                + ")");
      }
    }
  }

  private static String string(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      throw new MalformedScenarioException(path + ": required (a string)");
    }
    if (!node.isString() || node.stringValue().isBlank()) {
      throw new MalformedScenarioException(path + ": expected a non-blank string");
    }
    return node.stringValue();
  }

  private static String optionalString(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isString()) {
      throw new MalformedScenarioException(path + ": expected a string");
    }
    return node.stringValue();
  }

  private static int integer(JsonNode node, String path) {
    if (node == null || node.isNull()) {
      throw new MalformedScenarioException(path + ": required (an integer)");
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw new MalformedScenarioException(path + ": expected an integer");
    }
    return node.intValue();
  }

  private static Integer optionalInteger(JsonNode node, String path) {
    return node == null || node.isNull() ? null : integer(node, path);
  }

  private static Instant optionalInstant(JsonNode node, String path) {
    String text = optionalString(node, path);
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new MalformedScenarioException(path + ": expected an ISO-8601 instant");
    }
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String name, String path) {
    for (E value : type.getEnumConstants()) {
      if (value.name().equals(name)) {
        return value;
      }
    }
    throw new MalformedScenarioException(
        path
            + ": unknown value \""
            + name
            + "\" (expected one of "
            + names(type.getEnumConstants())
            + ")");
  }

  private static String names(Enum<?>[] values) {
    return Arrays.stream(values).map(Enum::name).collect(Collectors.joining(", "));
  }
}
