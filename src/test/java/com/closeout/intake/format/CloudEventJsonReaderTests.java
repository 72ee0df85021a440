package com.closeout.intake.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.DispositionEvent;
import com.closeout.intake.IncomingEvent;
import com.closeout.intake.ParsedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class CloudEventJsonReaderTests {
  private static final String SHA_A = "a".repeat(64);
  private static final String SHA_B = "0123456789abcdef".repeat(4);
  private static final String SECRET = "TRANSCRIPT-CANARY secret words";

  private final JsonMapper mapper = JsonMapper.builder().build();
  private final CloudEventJsonReader reader = new CloudEventJsonReader();

  private ObjectNode finalizedEvent() {
    ObjectNode event = mapper.createObjectNode();
    event.put("specversion", "1.0");
    event.put("id", "evt-9f2c");
    event.put("source", "urn:support:review-board");
    event.put("type", "support.review.disposition.finalized");
    event.put("subject", "ESC-1042");
    event.put("time", "2026-11-20T10:15:00Z");
    event.put("datacontenttype", "application/json");
    ObjectNode data = event.putObject("data");
    data.put("escalationId", "ESC-1042");
    data.put("episodeId", "EP-7");
    data.put("disposition", "CLOSURE_APPROVED");
    data.put("dispositionVersion", 3);
    data.put("finalizedAt", "2026-11-20T10:14:58Z");
    ArrayNode refs = data.putArray("archiveRefs");
    refs.addObject()
        .put("kind", "CLOSURE_PACKET")
        .put("uri", "archive://closure-packets/ESC-1042/v3.pdf")
        .put("sha256", SHA_A);
    refs.addObject()
        .put("kind", "REVIEW_NOTE")
        .put("uri", "archive://review-notes/ESC-1042/v3.md")
        .put("sha256", SHA_B);
    data.putArray("requestedActions");
    return event;
  }

  private ParsedEvent read(JsonNode event) {
    return reader.read(mapper.writeValueAsBytes(event));
  }

  private ParsedEvent.Malformed malformedAfter(Consumer<ObjectNode> edit) {
    ObjectNode event = finalizedEvent();
    edit.accept(event);
    ParsedEvent parsed = read(event);
    assertThat(parsed).isInstanceOf(ParsedEvent.Malformed.class);
    return (ParsedEvent.Malformed) parsed;
  }

  private static ObjectNode data(ObjectNode event) {
    return (ObjectNode) event.get("data");
  }

  @Test
  void finalizedEventIsReadIntoADispositionEvent() {
    ParsedEvent parsed = read(finalizedEvent());

    assertThat(parsed).isInstanceOf(ParsedEvent.Valid.class);
    IncomingEvent incoming = ((ParsedEvent.Valid) parsed).event();
    assertThat(incoming.id().value()).isEqualTo("evt-9f2c");
    assertThat(incoming.type()).isEqualTo(DispositionEvent.FINALIZED_TYPE);
    assertThat(incoming.subject()).isEqualTo("ESC-1042");
    DispositionEvent event = incoming.finalized();
    assertThat(event.eventId().value()).isEqualTo("evt-9f2c");
    assertThat(event.source()).isEqualTo("urn:support:review-board");
    assertThat(event.time()).isEqualTo(Instant.parse("2026-11-20T10:15:00Z"));
    assertThat(event.escalationId().value()).isEqualTo("ESC-1042");
    assertThat(event.episodeId().value()).isEqualTo("EP-7");
    assertThat(event.disposition()).isEqualTo("CLOSURE_APPROVED");
    assertThat(event.dispositionVersion()).isEqualTo(3);
    assertThat(event.finalizedAt()).isEqualTo(Instant.parse("2026-11-20T10:14:58Z"));
    assertThat(event.archiveRefs())
        .containsExactly(
            new ArchiveRef("CLOSURE_PACKET", "archive://closure-packets/ESC-1042/v3.pdf", SHA_A),
            new ArchiveRef("REVIEW_NOTE", "archive://review-notes/ESC-1042/v3.md", SHA_B));
    assertThat(event.requestedActions()).isEmpty();
  }

  @Test
  void requestedActionsAreKeptAndMayBeAbsent() {
    ObjectNode withActions = finalizedEvent();
    data(withActions).putArray("requestedActions").add("REFUND").add("REOPEN");
    ObjectNode without = finalizedEvent();
    data(without).remove("requestedActions");

    assertThat(((ParsedEvent.Valid) read(withActions)).event().finalized().requestedActions())
        .containsExactly("REFUND", "REOPEN");
    assertThat(((ParsedEvent.Valid) read(without)).event().finalized().requestedActions())
        .isEmpty();
  }

  @Test
  void otherTypesAreValidWithoutDataValidation() {
    ObjectNode event = finalizedEvent();
    event.put("type", "support.review.comment.added");
    data(event).put("dispositionVersion", "not a number");

    ParsedEvent parsed = read(event);

    assertThat(parsed).isInstanceOf(ParsedEvent.Valid.class);
    IncomingEvent incoming = ((ParsedEvent.Valid) parsed).event();
    assertThat(incoming.type()).isEqualTo("support.review.comment.added");
    assertThat(incoming.finalized()).isNull();
    assertThat(incoming.finalizedEvent()).isEmpty();
  }

  @Test
  void missingIdIsMalformedNamingId() {
    assertThat(malformedAfter(e -> e.remove("id")).field()).isEqualTo("id");
  }

  @Test
  void wrongSpecVersionIsMalformedNamingSpecversion() {
    assertThat(malformedAfter(e -> e.put("specversion", "0.3")).field()).isEqualTo("specversion");
    assertThat(malformedAfter(e -> e.remove("specversion")).field()).isEqualTo("specversion");
  }

  @Test
  void missingSourceOrTypeIsMalformedNamingTheField() {
    assertThat(malformedAfter(e -> e.remove("source")).field()).isEqualTo("source");
    assertThat(malformedAfter(e -> e.put("type", "")).field()).isEqualTo("type");
  }

  @Test
  void unparseableTimeIsMalformedNamingTime() {
    assertThat(malformedAfter(e -> e.put("time", "yesterday")).field()).isEqualTo("time");
  }

  @Test
  void notJsonIsMalformed() {
    ParsedEvent parsed = reader.read("{\"id\": ".getBytes(StandardCharsets.UTF_8));
    assertThat(parsed).isInstanceOf(ParsedEvent.Malformed.class);
    assertThat(((ParsedEvent.Malformed) parsed).field()).isEqualTo("event");
    assertThat(reader.read("[1,2]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ParsedEvent.Malformed.class);
    assertThat(reader.read(new byte[0])).isInstanceOf(ParsedEvent.Malformed.class);
  }

  @Test
  void finalizedEventWithoutDataIsMalformedNamingData() {
    assertThat(malformedAfter(e -> e.remove("data")).field()).isEqualTo("data");
  }

  @Test
  void dispositionVersionMustBeAPositiveInteger() {
    assertThat(malformedAfter(e -> data(e).put("dispositionVersion", 0)).field())
        .isEqualTo("data.dispositionVersion");
    assertThat(malformedAfter(e -> data(e).put("dispositionVersion", "3")).field())
        .isEqualTo("data.dispositionVersion");
    assertThat(malformedAfter(e -> data(e).put("dispositionVersion", 2.5)).field())
        .isEqualTo("data.dispositionVersion");
    assertThat(malformedAfter(e -> data(e).remove("dispositionVersion")).field())
        .isEqualTo("data.dispositionVersion");
  }

  @Test
  void blankIdentifiersAreMalformed() {
    assertThat(malformedAfter(e -> data(e).put("escalationId", " ")).field())
        .isEqualTo("data.escalationId");
    assertThat(malformedAfter(e -> data(e).remove("episodeId")).field())
        .isEqualTo("data.episodeId");
    assertThat(malformedAfter(e -> data(e).put("disposition", 7)).field())
        .isEqualTo("data.disposition");
  }

  @Test
  void finalizedAtMustBeAnInstant() {
    assertThat(malformedAfter(e -> data(e).put("finalizedAt", "2026-13-40")).field())
        .isEqualTo("data.finalizedAt");
  }

  @Test
  void archiveRefDigestMustBe64LowercaseHex() {
    ParsedEvent.Malformed upper =
        malformedAfter(
            e ->
                ((ObjectNode) data(e).get("archiveRefs").get(1))
                    .put("sha256", SHA_A.toUpperCase()));
    ParsedEvent.Malformed shortDigest =
        malformedAfter(e -> ((ObjectNode) data(e).get("archiveRefs").get(0)).put("sha256", "abc"));

    assertThat(upper.field()).isEqualTo("data.archiveRefs[1].sha256");
    assertThat(shortDigest.field()).isEqualTo("data.archiveRefs[0].sha256");
  }

  @Test
  void archiveRefsMustBeAnArrayOfCompleteReferences() {
    assertThat(malformedAfter(e -> data(e).remove("archiveRefs")).field())
        .isEqualTo("data.archiveRefs");
    assertThat(malformedAfter(e -> data(e).put("archiveRefs", "none")).field())
        .isEqualTo("data.archiveRefs");
    assertThat(
            malformedAfter(e -> ((ObjectNode) data(e).get("archiveRefs").get(1)).remove("uri"))
                .field())
        .isEqualTo("data.archiveRefs[1].uri");
  }

  @Test
  void requestedActionsMustBeStrings() {
    assertThat(malformedAfter(e -> data(e).putArray("requestedActions").add(1)).field())
        .isEqualTo("data.requestedActions[0]");
    assertThat(malformedAfter(e -> data(e).put("requestedActions", "REFUND")).field())
        .isEqualTo("data.requestedActions");
  }

  @Test
  void messagesNeverEchoTheOffendingValue() {
    ParsedEvent.Malformed version = malformedAfter(e -> data(e).put("dispositionVersion", SECRET));
    ParsedEvent.Malformed digest =
        malformedAfter(e -> ((ObjectNode) data(e).get("archiveRefs").get(0)).put("sha256", SECRET));
    ParsedEvent.Malformed spec = malformedAfter(e -> e.put("specversion", SECRET));
    ParsedEvent.Malformed time = malformedAfter(e -> e.put("time", SECRET));
    ParsedEvent broken =
        reader.read(("{\"id\": \"" + SECRET + "\", ").getBytes(StandardCharsets.UTF_8));

    assertThat(version.message()).doesNotContain("CANARY").isNotBlank();
    assertThat(digest.message()).doesNotContain("CANARY").isNotBlank();
    assertThat(spec.message()).doesNotContain("CANARY").isNotBlank();
    assertThat(time.message()).doesNotContain("CANARY").isNotBlank();
    assertThat(((ParsedEvent.Malformed) broken).message()).doesNotContain("CANARY");
    assertThat(version.toString()).doesNotContain("CANARY");
  }
}
