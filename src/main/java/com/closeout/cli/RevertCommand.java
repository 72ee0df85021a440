package com.closeout.cli;

import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Undoes one closure's writes, in reverse order, where the targets still hold them (SPEC §5). The
 * running Closeout does it: it holds the target systems.
 */
final class RevertCommand implements CliCommand {

  @Override
  public String name() {
    return "revert";
  }

  @Override
  public String usage() {
    return "revert ESCALATION --version N [--server URL]";
  }

  @Override
  public String summary() {
    return "undo a closure's writes, through the running Closeout; exit 1 unless all were undone";
  }

  @Override
  public int run(List<String> args, CommandContext context) throws UsageException {
    Arguments arguments = Arguments.parse(args, Set.of(), Set.of("--version", ServerClient.OPTION));
    arguments.expectPositionals(1, "ESCALATION");
    String escalation = arguments.positionals().get(0).strip();
    if (escalation.isEmpty()) {
      throw new UsageException("ESCALATION must not be blank");
    }
    String versionText =
        arguments.option("--version").orElseThrow(() -> new UsageException("missing --version N"));
    int version = (int) Arguments.parseLong("--version", versionText, 1);
    ServerClient server = ServerClient.of(arguments, context);

    ServerClient.Answer answer = server.revert(escalation, version);
    String key = escalation + "@v" + version;
    String outcome = answer.text("outcome");
    if ("REVERTED".equals(outcome) && answer.ok()) {
      context.out().printf("reverted %s: undid %s%n", key, names(answer.body().path("undone")));
      return OK;
    }
    if ("CONFLICT".equals(outcome)) {
      context
          .out()
          .printf(
              "revert of %s stopped at %s: %s no longer holds what Closeout wrote;"
                  + " follow-up %s raised%n",
              key, answer.text("step"), systemName(answer), answer.text("followUpId"));
    } else if ("UNAVAILABLE".equals(outcome)) {
      context
          .out()
          .printf(
              "revert of %s stopped at %s: %s did not answer; run the revert again later%n",
              key, answer.text("step"), systemName(answer));
    } else if ("REFUSED".equals(outcome)) {
      context.out().println("revert refused: " + answer.text("why"));
    } else {
      context.err().printf("closeout revert: %s answered %s%n", server.base(), answer.describe());
    }
    return FAILED;
  }

  private static String systemName(ServerClient.Answer answer) {
    String system = answer.text("system");
    return system == null ? "a target" : system;
  }

  private static String names(JsonNode steps) {
    List<String> names = steps.valueStream().map(JsonNode::asString).toList();
    return names.isEmpty() ? "nothing" : String.join(", ", names);
  }
}
