package com.closeout.cli;

import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** Lists the commands, or shows the usage of one. */
final class HelpCommand implements CliCommand {

  static final String NAME = "help";

  private final Supplier<Collection<CliCommand>> commands;

  HelpCommand(Supplier<Collection<CliCommand>> commands) {
    this.commands = commands;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String usage() {
    return "help [COMMAND]";
  }

  @Override
  public String summary() {
    return "show the commands, or how to use one";
  }

  @Override
  public int run(List<String> args, CommandContext context) throws UsageException {
    Arguments arguments = Arguments.parse(args, Set.of(), Set.of());
    if (arguments.positionals().isEmpty()) {
      printUsage(context.out());
      return OK;
    }
    arguments.expectPositionals(1, "COMMAND");
    String wanted = arguments.positionals().get(0);
    for (CliCommand command : commands.get()) {
      if (command.name().equals(wanted)) {
        command.usage().lines().forEach(form -> context.out().println("usage: closeout " + form));
        context.out().println("  " + command.summary());
        return OK;
      }
    }
    throw new UsageException("unknown command '" + wanted + "'");
  }

  void printUsage(PrintStream stream) {
    stream.println("usage: closeout COMMAND [ARGS]");
    stream.println();
    for (CliCommand command : commands.get()) {
      // A command may have several forms, one per line of its usage.
      command.usage().lines().forEach(form -> stream.println("  closeout " + form));
      stream.println("      " + command.summary());
    }
    stream.println();
    stream.println("Exit status: 0 success, 1 failure, 2 bad usage or malformed input.");
    stream.println("Store: embedded PostgreSQL under ./data unless SPRING_DATASOURCE_URL is set.");
    stream.println(
        "replay, revert, follow-ups resolve and reconcile ask the running Closeout (serve or demo),");
    stream.println(
        "which holds the target systems: --server URL, else $"
            + ServerClient.ENVIRONMENT
            + ", else "
            + ServerClient.DEFAULT_URL
            + ".");
  }
}
