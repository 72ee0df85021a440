package com.closeout.cli;

import com.closeout.domain.EscalationId;
import com.closeout.domain.Step;
import com.closeout.domain.TargetSystem;
import com.closeout.propagation.RevertOutcome;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Undoes one closure's writes, in reverse order, where the targets still hold them (SPEC §5). */
final class RevertCommand implements CliCommand {

  @Override
  public String name() {
    return "revert";
  }

  @Override
  public String usage() {
    return "revert ESCALATION --version N";
  }

  @Override
  public String summary() {
    return "undo a closure's writes; exit 1 unless every step was reverted";
  }

  @Override
  public int run(List<String> args, CommandContext context) throws UsageException {
    Arguments arguments = Arguments.parse(args, Set.of(), Set.of("--version"));
    arguments.expectPositionals(1, "ESCALATION");
    String escalation = arguments.positionals().get(0).strip();
    if (escalation.isEmpty()) {
      throw new UsageException("ESCALATION must not be blank");
    }
    String versionText =
        arguments.option("--version").orElseThrow(() -> new UsageException("missing --version N"));
    int version = (int) Arguments.parseLong("--version", versionText, 1);
    RevertOutcome outcome =
        context.services().engine().revert(new EscalationId(escalation), version);
    if (outcome instanceof RevertOutcome.Reverted reverted) {
      context.out().printf("reverted %s: undid %s%n", reverted.key(), names(reverted.undone()));
      return OK;
    }
    if (outcome instanceof RevertOutcome.Conflict conflict) {
      context
          .out()
          .printf(
              "revert of %s stopped at %s: %s no longer holds what Closeout wrote;"
                  + " follow-up %d raised%n",
              conflict.key(),
              conflict.step(),
              systemName(conflict.system()),
              conflict.followUpId());
    } else if (outcome instanceof RevertOutcome.Unavailable unavailable) {
      context
          .out()
          .printf(
              "revert of %s stopped at %s: %s did not answer; run the revert again later%n",
              unavailable.key(), unavailable.step(), systemName(unavailable.system()));
    } else if (outcome instanceof RevertOutcome.Refused refused) {
      context.out().println("revert refused: " + refused.why());
    }
    return FAILED;
  }

  private static String systemName(TargetSystem system) {
    return system == null ? "a target" : system.wireName();
  }

  private static String names(List<Step> steps) {
    return steps.isEmpty()
        ? "nothing"
        : steps.stream().map(Step::name).collect(Collectors.joining(", "));
  }
}
