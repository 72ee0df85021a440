package com.closeout.cli;

import com.closeout.intake.IncomingEvent;
import com.closeout.intake.IntakeReceipt;
import com.closeout.intake.ParsedEvent;
import com.closeout.propagation.CloseoutEngine;
import com.closeout.propagation.CloseoutStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Feeds a file of CloudEvents, one JSON object per line, through intake as if each had been
 * delivered to the webhook, then works the resulting closures. Idempotent: replaying the same file
 * again finds every event id already accepted and changes nothing.
 */
final class ReplayCommand implements CliCommand {

  static final long DEFAULT_WAIT_SECONDS = 60;

  @Override
  public String name() {
    return "replay";
  }

  @Override
  public String usage() {
    return "replay FILE [--wait SECONDS]";
  }

  @Override
  public String summary() {
    return "deliver CloudEvents JSON lines, work them until idle, print each outcome";
  }

  @Override
  public int run(List<String> args, CommandContext context) throws UsageException {
    Arguments arguments = Arguments.parse(args, Set.of(), Set.of("--wait"));
    arguments.expectPositionals(1, "FILE");
    Duration wait = Duration.ofSeconds(arguments.longOption("--wait", DEFAULT_WAIT_SECONDS, 0));
    Path file = Path.of(arguments.positionals().get(0));
    if (!Files.isRegularFile(file)) {
      context.err().println("closeout replay: no such file: " + file);
      return USAGE;
    }
    List<String> lines = readLines(file);
    Services services = context.services();

    // Every line is checked before any is delivered: a bad file stores nothing.
    List<Line> events = new ArrayList<>();
    int malformed = 0;
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i);
      if (text.isBlank()) {
        continue;
      }
      ParsedEvent parsed = services.eventReader().read(text.getBytes(StandardCharsets.UTF_8));
      if (parsed instanceof ParsedEvent.Malformed bad) {
        context.err().printf("%s:%d: malformed %s: %s%n", file, i + 1, bad.field(), bad.message());
        malformed++;
      } else {
        events.add(new Line(i + 1, ((ParsedEvent.Valid) parsed).event()));
      }
    }
    if (malformed > 0) {
      context.err().printf("closeout replay: %d malformed lines; nothing delivered%n", malformed);
      return USAGE;
    }

    CloseoutEngine engine = services.engine();
    List<IntakeReceipt> receipts = new ArrayList<>();
    for (Line line : events) {
      receipts.add(engine.receive(line.event()));
    }
    ForegroundWorker.Result run = new ForegroundWorker(engine, services.clock()).runUntilIdle(wait);

    CloseoutStores stores = services.stores();
    for (IntakeReceipt receipt : receipts) {
      context.out().println(describe(receipt, stores));
    }
    long started = receipts.stream().filter(r -> r.closureId() != null).count();
    long duplicates = receipts.stream().filter(IntakeReceipt::duplicate).count();
    context
        .out()
        .printf(
            "%d events: %d started a closure, %d duplicates, %d other%n",
            receipts.size(), started, duplicates, receipts.size() - started - duplicates);
    run.waitingUntil()
        .ifPresent(
            at ->
                context
                    .out()
                    .println(
                        "closures still wait for a retry (next at "
                            + at
                            + "); `closeout serve` goes on with them"));
    return OK;
  }

  private static String describe(IntakeReceipt receipt, CloseoutStores stores) {
    String line = receipt.eventId() + "  " + receipt.outcome();
    if (receipt.closureId() == null) {
      return line;
    }
    return stores
        .closures()
        .find(receipt.closureId())
        .map(
            closure ->
                line + "  closure " + closure.id() + " " + closure.key() + ": " + closure.status())
        .orElse(line);
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private record Line(int number, IncomingEvent event) {}
}
