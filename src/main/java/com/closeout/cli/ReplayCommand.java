package com.closeout.cli;

import com.closeout.domain.DispositionEvent;
import com.closeout.intake.IncomingEvent;
import com.closeout.intake.ParsedEvent;
import com.closeout.intake.format.CloudEventJsonReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Delivers a file of CloudEvents, one JSON object per line, to the running Closeout's webhook, then
 * waits until the closures they started or joined have settled and prints each event's outcome.
 * Every line is checked here first, so a bad file sends nothing. Idempotent: replaying the same
 * file again finds every event id already accepted and changes nothing.
 */
final class ReplayCommand implements CliCommand {

  static final long DEFAULT_WAIT_SECONDS = 30;

  @Override
  public String name() {
    return "replay";
  }

  @Override
  public String usage() {
    return "replay FILE [--wait SECONDS] [--server URL]";
  }

  @Override
  public String summary() {
    return "deliver CloudEvents JSON lines to the running Closeout, wait until settled, print each"
        + " outcome";
  }

  @Override
  public int run(List<String> args, CommandContext context) throws UsageException {
    Arguments arguments = Arguments.parse(args, Set.of(), Set.of("--wait", ServerClient.OPTION));
    arguments.expectPositionals(1, "FILE");
    Duration wait = Duration.ofSeconds(arguments.longOption("--wait", DEFAULT_WAIT_SECONDS, 0));
    ServerClient server = ServerClient.of(arguments, context);
    Path file = Path.of(arguments.positionals().get(0));
    if (!Files.isRegularFile(file)) {
      context.err().println("closeout replay: no such file: " + file);
      return USAGE;
    }
    List<String> lines = readLines(file);

    // Every line is checked before any is delivered: a bad file sends nothing.
    CloudEventJsonReader reader = new CloudEventJsonReader();
    List<Line> events = new ArrayList<>();
    int malformed = 0;
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i);
      if (text.isBlank()) {
        continue;
      }
      ParsedEvent parsed = reader.read(text.getBytes(StandardCharsets.UTF_8));
      if (parsed instanceof ParsedEvent.Malformed bad) {
        context.err().printf("%s:%d: malformed %s: %s%n", file, i + 1, bad.field(), bad.message());
        malformed++;
      } else {
        events.add(new Line(i + 1, text, ((ParsedEvent.Valid) parsed).event()));
      }
    }
    if (malformed > 0) {
      context.err().printf("closeout replay: %d malformed lines; nothing delivered%n", malformed);
      return USAGE;
    }

    List<Delivery> deliveries = new ArrayList<>();
    for (Line line : events) {
      deliveries.add(new Delivery(line, server.deliver(line.text())));
    }

    // The closures these events started or joined, worked by the server's worker meanwhile.
    Set<String> escalations = new LinkedHashSet<>();
    Set<String> keys = new LinkedHashSet<>();
    for (Delivery delivery : deliveries) {
      delivery
          .finalized()
          .filter(event -> delivery.answer().ok())
          .ifPresent(
              event -> {
                escalations.add(event.escalationId().value());
                keys.add(key(event));
              });
    }
    ServerClient.Settled settled =
        server.awaitSettled(escalations, closure -> keys.contains(closure.key()), wait);

    int started = 0;
    int duplicates = 0;
    int refused = 0;
    for (Delivery delivery : deliveries) {
      String outcome = delivery.answer().text("outcome");
      if (!delivery.answer().ok() || outcome == null) {
        refused++;
        context
            .out()
            .printf(
                "%s  REFUSED by the server (line %d): %s%n",
                delivery.line().event().id().value(),
                delivery.line().number(),
                delivery.answer().describe());
        continue;
      }
      if (outcome.equals("CLOSURE_STARTED")) {
        started++;
      } else if (outcome.equals("DUPLICATE")) {
        duplicates++;
      }
      context.out().println(describe(delivery, outcome, settled));
    }
    context
        .out()
        .printf(
            "%d events: %d started a closure, %d duplicates, %d other%s%n",
            deliveries.size(),
            started,
            duplicates,
            deliveries.size() - started - duplicates - refused,
            refused > 0 ? ", " + refused + " refused" : "");
    if (settled.inFlight()) {
      List<String> open =
          settled.closures().stream()
              .filter(ServerClient.ClosureState::inFlight)
              .map(closure -> closure.key() + " " + closure.status())
              .toList();
      context
          .out()
          .printf(
              "still in flight after %ds: %s; the running Closeout goes on with them%n",
              wait.toSeconds(), String.join(", ", open));
    }
    return refused > 0 ? FAILED : OK;
  }

  private static String describe(Delivery delivery, String outcome, ServerClient.Settled settled) {
    String line = delivery.line().event().id().value() + "  " + outcome;
    Optional<DispositionEvent> finalized = delivery.finalized();
    if (finalized.isEmpty()) {
      return line;
    }
    String key = key(finalized.get());
    return settled.closures().stream()
        .filter(closure -> closure.key().equals(key))
        .findFirst()
        .map(closure -> line + "  closure " + closure.id() + " " + key + ": " + closure.status())
        .orElse(line);
  }

  private static String key(DispositionEvent event) {
    return event.escalationId().value() + "@v" + event.dispositionVersion();
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private record Line(int number, String text, IncomingEvent event) {}

  private record Delivery(Line line, ServerClient.Answer answer) {
    Optional<DispositionEvent> finalized() {
      return line.event().finalizedEvent();
    }
  }
}
