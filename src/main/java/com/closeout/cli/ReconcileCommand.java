package com.closeout.cli;

import com.closeout.audit.Drift;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * One reconciliation pass (SPEC §6), run by the running Closeout since it holds the target systems:
 * exit 1 when anything drifted or could not be checked.
 */
final class ReconcileCommand implements CliCommand {

  @Override
  public String name() {
    return "reconcile";
  }

  @Override
  public String usage() {
    return "reconcile [--since INSTANT] [--json] [--server URL]";
  }

  @Override
  public String summary() {
    return "compare finalized records with the targets and report drift (lost events)";
  }

  @Override
  public int run(List<String> args, CommandContext context) throws UsageException {
    Arguments arguments =
        Arguments.parse(args, Set.of("--json"), Set.of("--since", ServerClient.OPTION));
    arguments.expectPositionals(0, "");
    Optional<Instant> since;
    try {
      since = arguments.option("--since").map(String::strip).map(Instant::parse);
    } catch (DateTimeParseException e) {
      throw new UsageException("--since takes an ISO instant, e.g. 2026-11-20T00:00:00Z");
    }
    ServerClient server = ServerClient.of(arguments, context);

    ServerClient.Answer answer = server.reconcile(since);
    if (!answer.ok() || !answer.body().isObject()) {
      context
          .err()
          .printf("closeout reconcile: %s answered %s%n", server.base(), answer.describe());
      return FAILED;
    }
    JsonNode report = answer.body();
    List<Drift> drift =
        report.path("drift").valueStream().map(node -> server.read(node, Drift.class)).toList();
    List<String> unreachable =
        report.path("unreachable").valueStream().map(JsonNode::asString).toList();
    if (arguments.flag("--json")) {
      context.out().println(server.write(report));
    } else {
      context
          .out()
          .printf(
              "checked %d finalized records since %s: %d drifted, %d unreachable%n",
              report.path("recordsChecked").asInt(),
              report.path("since").asString(),
              drift.size(),
              unreachable.size());
      for (Drift found : drift) {
        context
            .out()
            .printf(
                "  %-24s v%-3d %-10s open in %s (closure %s)%n",
                found.escalationId(),
                found.dispositionVersion(),
                found.kind(),
                found.openDownstream(),
                found.closureStatus());
      }
      unreachable.forEach(u -> context.out().printf("  could not check: %s%n", u));
    }
    return drift.isEmpty() && unreachable.isEmpty() ? OK : FAILED;
  }
}
