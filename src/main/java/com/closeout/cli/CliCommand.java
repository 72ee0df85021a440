package com.closeout.cli;

import java.util.List;

/** One {@code closeout} command. Its arguments are checked before anything starts. */
public interface CliCommand {
  int OK = 0;
  int FAILED = 1;
  int USAGE = 2;

  String name();

  /** The synopsis line, e.g. {@code revert ESCALATION --version N}. */
  String usage();

  /** One line on what the command does. */
  String summary();

  /** Runs with the arguments after the command name; returns the process exit status. */
  int run(List<String> args, CommandContext context) throws UsageException;
}
