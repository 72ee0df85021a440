package com.closeout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.closeout.domain.EventId;
import com.closeout.domain.EventOutcome;
import com.closeout.intake.IncomingEvent;
import com.closeout.intake.IntakeReceipt;
import com.closeout.intake.ParsedEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTests {

  private final FakeCommandContext context = new FakeCommandContext();
  private final CloseoutCli cli = CloseoutCli.standard();

  private static IncomingEvent event(String id) {
    return new IncomingEvent(new EventId(id), "other.type", "urn:test", null, null);
  }

  private void reads(String line, ParsedEvent parsed) {
    when(context.reader.read(line.getBytes(StandardCharsets.UTF_8))).thenReturn(parsed);
  }

  @Test
  void everyLineIsDeliveredWorkedAndItsOutcomePrinted(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("events.jsonl"), "{\"a\":1}\n\n{\"b\":2}\n");
    reads("{\"a\":1}", new ParsedEvent.Valid(event("evt-1")));
    reads("{\"b\":2}", new ParsedEvent.Valid(event("evt-2")));
    when(context.engine.receive(event("evt-1")))
        .thenReturn(IntakeReceipt.of("evt-1", EventOutcome.IGNORED, null));
    when(context.engine.receive(event("evt-2"))).thenReturn(IntakeReceipt.redelivered("evt-2"));
    when(context.engine.nextDueAt()).thenReturn(Optional.empty());

    assertThat(cli.run(new String[] {"replay", file.toString()}, context)).isZero();

    assertThat(context.printed())
        .contains("evt-1  IGNORED")
        .contains("evt-2  DUPLICATE")
        .contains("2 events: 0 started a closure, 1 duplicates, 1 other");
    verify(context.engine).runDue();
  }

  @Test
  void aMalformedLineStopsTheReplayBeforeAnythingIsDelivered(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("events.jsonl"), "{\"a\":1}\n{\"b\":\n");
    reads("{\"a\":1}", new ParsedEvent.Valid(event("evt-1")));
    reads("{\"b\":", new ParsedEvent.Malformed("id", "is missing"));

    assertThat(cli.run(new String[] {"replay", file.toString()}, context)).isEqualTo(2);

    assertThat(context.errors()).contains(":2: malformed id: is missing").contains("nothing");
    verify(context.engine, never()).receive(any());
    verify(context.engine, never()).runDue();
  }

  @Test
  void missingFileExitsTwo(@TempDir Path dir) {
    assertThat(cli.run(new String[] {"replay", dir.resolve("x").toString()}, context)).isEqualTo(2);
    assertThat(context.errors()).contains("no such file");
  }
}
