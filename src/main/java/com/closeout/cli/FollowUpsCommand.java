package com.closeout.cli;

import com.closeout.followup.FollowUp;
import com.closeout.followup.Resolution;
import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Lists follow-ups, read from the store, and lets a person resolve one: retry (re-verify from
 * scratch) or dismiss. Resolving goes through the running Closeout, whose worker does the retry
 * against the target systems it holds.
 */
final class FollowUpsCommand implements CliCommand {

  static final Duration RETRY_PATIENCE = Duration.ofSeconds(30);
  private static final DateTimeFormatter CREATED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  @Override
  public String name() {
    return "follow-ups";
  }

  @Override
  public String usage() {
    return "follow-ups [--open]\n"
        + "follow-ups resolve ID --retry|--dismiss --comment TEXT [--server URL]";
  }

  @Override
  public String summary() {
    return "list follow-ups (from the store), or resolve one with a comment (through the running"
        + " Closeout)";
  }

  @Override
  public int run(List<String> args, CommandContext context) throws UsageException {
    if (!args.isEmpty() && args.get(0).equals("resolve")) {
      return resolve(args.subList(1, args.size()), context);
    }
    Arguments arguments = Arguments.parse(args, Set.of("--open"), Set.of());
    arguments.expectPositionals(0, "nothing");
    List<FollowUp> followUps =
        context.services().stores().followUps().all(arguments.flag("--open"));
    printTable(followUps, context.out());
    return OK;
  }

  private int resolve(List<String> args, CommandContext context) throws UsageException {
    Arguments arguments =
        Arguments.parse(
            args, Set.of("--retry", "--dismiss"), Set.of("--comment", ServerClient.OPTION));
    arguments.expectPositionals(1, "ID");
    long id = Arguments.parseLong("ID", arguments.positionals().get(0), 1);
    if (arguments.flag("--retry") == arguments.flag("--dismiss")) {
      throw new UsageException("give exactly one of --retry and --dismiss");
    }
    String comment =
        arguments
            .option("--comment")
            .map(String::strip)
            .filter(text -> !text.isEmpty())
            .orElseThrow(() -> new UsageException("--comment TEXT is required: say why"));
    Resolution resolution = arguments.flag("--retry") ? Resolution.RETRY : Resolution.DISMISS;
    ServerClient server = ServerClient.of(arguments, context);

    ServerClient.Answer answer = server.resolveFollowUp(id, resolution.name(), comment);
    if ("REFUSED".equals(answer.text("outcome"))) {
      context.out().printf("follow-up %d not resolved: %s%n", id, answer.text("why"));
      return FAILED;
    }
    if (!answer.ok() || !"RESOLVED".equals(answer.text("outcome"))) {
      context
          .err()
          .printf("closeout follow-ups: %s answered %s%n", server.base(), answer.describe());
      return FAILED;
    }
    JsonNode followUp = answer.body().path("followUp");
    long closureId = followUp.path("closureId").asLong();
    String escalation = followUp.path("escalationId").asString();
    context
        .out()
        .printf(
            "follow-up %d (%s, %s) %s; closure %s%n",
            followUp.path("id").asLong(),
            followUp.path("reason").asString(),
            escalation,
            followUp.path("status").asString(),
            answer.text("closureStatus"));
    if (resolution == Resolution.RETRY) {
      // The serving worker re-verifies it; the person waits a little to see the result.
      ServerClient.Settled settled =
          server.awaitSettled(
              List.of(escalation), closure -> closure.id() == closureId, RETRY_PATIENCE);
      for (ServerClient.ClosureState closure : settled.closures()) {
        if (closure.inFlight()) {
          context
              .out()
              .printf(
                  "closure %s still %s after %ds; the running Closeout goes on with it%n",
                  closure.key(), closure.status(), RETRY_PATIENCE.toSeconds());
          continue;
        }
        context.out().printf("after re-verification: closure %s%n", closure.status());
        for (ServerClient.FollowUpRef raised : closure.followUps()) {
          if ("OPEN".equals(raised.status()) && raised.id() != id) {
            context.out().printf("follow-up %d raised: %s%n", raised.id(), raised.reason());
          }
        }
      }
    }
    return OK;
  }

  static void printTable(List<FollowUp> followUps, PrintStream out) {
    if (followUps.isEmpty()) {
      out.println("no follow-ups");
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "ID", "ESCALATION", "REASON", "SYSTEM", "VERSIONS (EVENT/RECORD)", "STATUS", "CREATED"
        });
    for (FollowUp followUp : followUps) {
      rows.add(
          new String[] {
            Long.toString(followUp.id()),
            followUp.escalationId(),
            followUp.reason().name(),
            followUp.system() == null ? "-" : followUp.system().wireName(),
            version(followUp.eventVersion()) + "/" + version(followUp.recordVersion()),
            followUp.status().name(),
            CREATED.format(followUp.createdAt().truncatedTo(ChronoUnit.SECONDS))
          });
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private static String version(Integer version) {
    return version == null ? "-" : "v" + version;
  }
}
