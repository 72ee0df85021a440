package com.closeout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTests {

  private static final String EVENTS = "/api/v1/events";
  private static final String CLOSURES = "/api/v1/closures/ESC-1";

  private final FakeCommandContext context = new FakeCommandContext();
  private final CloseoutCli cli = CloseoutCli.standard();
  private final FakeCloseoutServer server = FakeCloseoutServer.start();

  @AfterEach
  void stopServer() {
    server.close();
  }

  private int replay(Path file, String... more) {
    String[] args = new String[3 + more.length];
    args[0] = "replay";
    args[1] = file.toString();
    args[2] = "--server=" + server.url();
    System.arraycopy(more, 0, args, 3, more.length);
    return cli.run(args, context);
  }

  static String finalized(String id, String escalation, int version) {
    return ("{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"urn:support:review-board\","
            + "\"type\":\"support.review.disposition.finalized\",\"subject\":\"%s\","
            + "\"time\":\"2026-11-20T10:15:00Z\",\"datacontenttype\":\"application/json\","
            + "\"data\":{\"escalationId\":\"%s\",\"episodeId\":\"EP-1\","
            + "\"disposition\":\"CLOSURE_APPROVED\",\"dispositionVersion\":%d,"
            + "\"finalizedAt\":\"2026-11-20T10:14:58Z\",\"archiveRefs\":[],"
            + "\"requestedActions\":[]}}")
        .formatted(id, escalation, escalation, version);
  }

  static String otherType(String id) {
    return "{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"urn:test\",\"type\":\"other.type\"}"
        .formatted(id);
  }

  private static String receipt(String id, String outcome, Long closureId) {
    return "{\"eventId\":\"%s\",\"outcome\":\"%s\",\"closureId\":%s}"
        .formatted(id, outcome, closureId);
  }

  private static String closure(String status) {
    return "[{\"id\":12,\"escalationId\":\"ESC-1\",\"dispositionVersion\":3,\"status\":\"%s\","
            .formatted(status)
        + "\"attempts\":0,\"steps\":[],\"followUps\":[]}]";
  }

  @Test
  void everyLineIsPostedToTheWebhookAndPrintedOnceItsClosureSettled(@TempDir Path dir)
      throws Exception {
    String first = finalized("evt-1", "ESC-1", 3);
    String second = otherType("evt-2");
    Path file = Files.writeString(dir.resolve("events.jsonl"), first + "\n\n" + second + "\n");
    server
        .answer("POST", EVENTS, 202, receipt("evt-1", "CLOSURE_STARTED", 12L))
        .answer("POST", EVENTS, 202, receipt("evt-2", "IGNORED", null))
        .answer("GET", CLOSURES, 200, closure("PENDING"))
        .answer("GET", CLOSURES, 200, closure("RUNNING"))
        .answer("GET", CLOSURES, 200, closure("COMPLETED"));

    assertThat(replay(file)).isZero();

    assertThat(server.requests(EVENTS))
        .extracting(FakeCloseoutServer.Request::body)
        .containsExactly(first, second);
    assertThat(server.requests(EVENTS).get(0).contentType())
        .isEqualTo("application/cloudevents+json");
    assertThat(server.requests("GET", CLOSURES)).hasSize(3);
    assertThat(context.printed())
        .isEqualTo(
            """
            evt-1  CLOSURE_STARTED  closure 12 ESC-1@v3: COMPLETED
            evt-2  IGNORED
            2 events: 1 started a closure, 0 duplicates, 1 other
            """);
    assertThat(context.oneShotStarts + context.serveStarts).isZero();
  }

  @Test
  void aRedeliveryIsPrintedAsDuplicateWithTheClosureItBelongsTo(@TempDir Path dir)
      throws Exception {
    Path file = Files.writeString(dir.resolve("events.jsonl"), finalized("evt-1", "ESC-1", 3));
    server
        .answer("POST", EVENTS, 200, receipt("evt-1", "DUPLICATE", null))
        .answer("GET", CLOSURES, 200, closure("COMPLETED"));

    assertThat(replay(file)).isZero();

    assertThat(context.printed())
        .contains("evt-1  DUPLICATE  closure 12 ESC-1@v3: COMPLETED")
        .contains("1 events: 0 started a closure, 1 duplicates, 0 other");
  }

  @Test
  void aMalformedLineStopsTheReplayBeforeAnythingIsSent(@TempDir Path dir) throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("events.jsonl"),
            finalized("evt-1", "ESC-1", 3) + "\n" + finalized("evt-2", "ESC-2", 0) + "\n");

    assertThat(replay(file)).isEqualTo(2);

    assertThat(context.errors())
        .contains(":2: malformed data.dispositionVersion")
        .contains("nothing delivered");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void anEventTheServerRefusesIsReportedWithItsFieldAndExitsOne(@TempDir Path dir)
      throws Exception {
    Path file = Files.writeString(dir.resolve("events.jsonl"), otherType("evt-1"));
    server.answer(
        "POST", EVENTS, 400, "{\"status\":400,\"detail\":\"is not valid\",\"field\":\"source\"}");

    assertThat(replay(file)).isEqualTo(1);

    assertThat(context.printed())
        .contains("evt-1  REFUSED by the server (line 1): HTTP 400: is not valid (field source)")
        .contains("1 refused");
  }

  @Test
  void closuresStillInFlightWhenTheWaitEndsAreNamed(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("events.jsonl"), finalized("evt-1", "ESC-1", 3));
    server
        .answer("POST", EVENTS, 202, receipt("evt-1", "CLOSURE_STARTED", 12L))
        .answer("GET", CLOSURES, 200, closure("PENDING"));

    assertThat(replay(file, "--wait", "0")).isZero();

    assertThat(context.printed())
        .contains("evt-1  CLOSURE_STARTED  closure 12 ESC-1@v3: PENDING")
        .contains("still in flight after 0s: ESC-1@v3 PENDING");
  }

  @Test
  void missingFileExitsTwo(@TempDir Path dir) {
    assertThat(replay(dir.resolve("x"))).isEqualTo(2);
    assertThat(context.errors()).contains("no such file");
  }
}
