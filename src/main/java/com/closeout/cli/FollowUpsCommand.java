package com.closeout.cli;

import com.closeout.followup.FollowUp;
import com.closeout.followup.FollowUpStatus;
import com.closeout.followup.Resolution;
import com.closeout.followup.ResolutionOutcome;
import com.closeout.propagation.Closure;
import java.io.PrintStream;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Lists follow-ups, and lets a person resolve one: retry (re-verify from scratch) or dismiss. */
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
    return "follow-ups [--open]\nfollow-ups resolve ID --retry|--dismiss --comment TEXT";
  }

  @Override
  public String summary() {
    return "list follow-ups, or resolve one with a comment";
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
        Arguments.parse(args, Set.of("--retry", "--dismiss"), Set.of("--comment"));
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

    Services services = context.services();
    ResolutionOutcome outcome = services.engine().resolveFollowUp(id, resolution, comment);
    if (outcome instanceof ResolutionOutcome.Refused refused) {
      context.out().printf("follow-up %d not resolved: %s%n", id, refused.why());
      return FAILED;
    }
    ResolutionOutcome.Resolved resolved = (ResolutionOutcome.Resolved) outcome;
    FollowUp followUp = resolved.followUp();
    context
        .out()
        .printf(
            "follow-up %d (%s, %s) %s; closure %s%n",
            followUp.id(),
            followUp.reason(),
            followUp.escalationId(),
            followUp.status(),
            resolved.closureStatus());
    if (resolution == Resolution.RETRY) {
      // Re-verify now rather than leave it to a running `serve`: the person sees the result.
      new ForegroundWorker(services.engine(), services.clock()).runUntilIdle(RETRY_PATIENCE);
      services
          .stores()
          .closures()
          .find(followUp.closureId())
          .map(Closure::status)
          .ifPresent(status -> context.out().printf("after re-verification: closure %s%n", status));
      for (FollowUp raised : services.stores().followUps().forClosure(followUp.closureId())) {
        if (raised.status() == FollowUpStatus.OPEN && raised.id() != followUp.id()) {
          context.out().printf("follow-up %d raised: %s%n", raised.id(), raised.reason());
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
