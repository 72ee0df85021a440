package com.closeout.intake.format;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.DispositionEvent;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.EventId;
import com.closeout.intake.IncomingEvent;
import com.closeout.intake.ParsedEvent;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads one structured-mode CloudEvents 1.0 JSON delivery (SPEC §2). A finalized disposition event
 * has its {@code data} validated in full; other types are only checked as CloudEvents.
 *
 * <p>A {@link ParsedEvent.Malformed} names the offending field and what was expected, never the
 * value found: a delivery may carry restricted content in any field, and the message ends up in
 * logs and audit entries.
 */
public final class CloudEventJsonReader {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final JsonMapper mapper;
  private final EventFormat format;

  public CloudEventJsonReader() {
    this.mapper = JsonMapper.builder().build();
    this.format =
        Objects.requireNonNull(
            EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE),
            "cloudevents-json-jackson is not on the classpath");
  }

  public ParsedEvent read(byte[] json) {
    try {
      return readChecked(json);
    } catch (Invalid invalid) {
      return new ParsedEvent.Malformed(invalid.field, invalid.expected);
    }
  }

  private ParsedEvent readChecked(byte[] json) {
    JsonNode root = parseJson(json, "event", "a JSON object");
    if (!root.isObject()) {
      throw new Invalid("event", "a JSON object");
    }
    // The envelope is checked field by field first, so the answer names the field; the SDK's own
    // messages may quote the offending value.
    String specVersion = requiredString(root, "specversion", "specversion");
    if (!"1.0".equals(specVersion)) {
      throw new Invalid("specversion", "\"1.0\"");
    }
    requiredString(root, "id", "id");
    requiredString(root, "source", "source");
    requiredString(root, "type", "type");
    optionalString(root, "subject", "subject");
    optionalString(root, "datacontenttype", "datacontenttype");
    String time = optionalString(root, "time", "time");
    if (time != null) {
      parseInstant(time, "time");
    }

    CloudEvent event;
    try {
      event = format.deserialize(json);
    } catch (RuntimeException e) {
      throw new Invalid("event", "a structured-mode CloudEvents 1.0 JSON object");
    }

    EventId id = new EventId(event.getId());
    String source = event.getSource().toString();
    if (!DispositionEvent.FINALIZED_TYPE.equals(event.getType())) {
      return new ParsedEvent.Valid(
          new IncomingEvent(id, event.getType(), source, event.getSubject(), null));
    }
    Instant eventTime = event.getTime() == null ? null : event.getTime().toInstant();
    DispositionEvent finalized = readDisposition(id, source, eventTime, event.getData());
    return new ParsedEvent.Valid(
        new IncomingEvent(id, event.getType(), source, event.getSubject(), finalized));
  }

  private DispositionEvent readDisposition(
      EventId id, String source, Instant time, CloudEventData data) {
    if (data == null) {
      throw new Invalid("data", "an object, required for " + DispositionEvent.FINALIZED_TYPE);
    }
    JsonNode node = parseJson(data.toBytes(), "data", "a JSON object");
    if (!node.isObject()) {
      throw new Invalid("data", "a JSON object");
    }
    String escalationId = requiredString(node, "escalationId", "data.escalationId");
    String episodeId = requiredString(node, "episodeId", "data.episodeId");
    String disposition = requiredString(node, "disposition", "data.disposition");
    int version = positiveInt(node.get("dispositionVersion"), "data.dispositionVersion");
    Instant finalizedAt =
        parseInstant(requiredString(node, "finalizedAt", "data.finalizedAt"), "data.finalizedAt");
    List<ArchiveRef> refs = archiveRefs(node.get("archiveRefs"));
    List<String> requested = requestedActions(node.get("requestedActions"));
    return new DispositionEvent(
        id,
        source,
        time,
        new EscalationId(escalationId),
        new EpisodeId(episodeId),
        disposition,
        version,
        finalizedAt,
        refs,
        requested);
  }

  private static List<ArchiveRef> archiveRefs(JsonNode node) {
    if (node == null || node.isNull()) {
      throw new Invalid("data.archiveRefs", "an array of archive references");
    }
    if (!node.isArray()) {
      throw new Invalid("data.archiveRefs", "an array of archive references");
    }
    List<ArchiveRef> refs = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String path = "data.archiveRefs[" + i + "]";
      JsonNode ref = node.get(i);
      if (!ref.isObject()) {
        throw new Invalid(path, "an object with kind, uri and sha256");
      }
      String kind = requiredString(ref, "kind", path + ".kind");
      String uri = requiredString(ref, "uri", path + ".uri");
      String sha256 = requiredString(ref, "sha256", path + ".sha256");
      if (!SHA256.matcher(sha256).matches()) {
        throw new Invalid(path + ".sha256", "64 lowercase hexadecimal digits");
      }
      refs.add(new ArchiveRef(kind, uri, sha256));
    }
    return refs;
  }

  private static List<String> requestedActions(JsonNode node) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new Invalid("data.requestedActions", "an array of strings");
    }
    List<String> actions = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode action = node.get(i);
      if (!action.isString() || action.stringValue().isBlank()) {
        throw new Invalid("data.requestedActions[" + i + "]", "a non-blank string");
      }
      actions.add(action.stringValue());
    }
    return actions;
  }

  private static int positiveInt(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      throw new Invalid(field, "a positive integer, required");
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1) {
      throw new Invalid(field, "a positive integer");
    }
    return node.intValue();
  }

  private static String requiredString(JsonNode parent, String name, String field) {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      throw new Invalid(field, "a non-blank string, required");
    }
    if (!node.isString() || node.stringValue().isBlank()) {
      throw new Invalid(field, "a non-blank string");
    }
    return node.stringValue();
  }

  private static String optionalString(JsonNode parent, String name, String field) {
    JsonNode node = parent.get(name);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isString()) {
      throw new Invalid(field, "a string");
    }
    return node.stringValue();
  }

  private static Instant parseInstant(String text, String field) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new Invalid(field, "an ISO-8601 instant with offset, e.g. 2026-11-20T10:14:58Z");
    }
  }

  private JsonNode parseJson(byte[] json, String field, String expected) {
    if (json == null || json.length == 0) {
      throw new Invalid(field, expected);
    }
    try {
      return mapper.readTree(json);
    } catch (JacksonException e) {
      // The parser's message quotes the text around the error: not repeated here.
      throw new Invalid(field, "well-formed JSON: " + expected);
    }
  }

  /** A validation failure: the field's JSON path and what it should have held. */
  private static final class Invalid extends RuntimeException {
    private final String field;
    private final String expected;

    Invalid(String field, String expected) {
      super(field + ": expected " + expected, null, false, false);
      this.field = field;
      this.expected = expected;
    }
  }
}
