package com.closeout.cli;

import java.util.List;
import java.util.Set;

/** The service: webhook intake, API and background worker until stopped. */
final class ServeCommand implements CliCommand {

  @Override
  public String name() {
    return "serve";
  }

  @Override
  public String usage() {
    return "serve";
  }

  @Override
  public String summary() {
    return "run the webhook, the API and the worker until stopped (Ctrl-C)";
  }

  @Override
  public int run(List<String> args, CommandContext context) throws UsageException {
    Arguments.parse(args, Set.of(), Set.of()).expectPositionals(0, "nothing");
    context.serve(true);
    context.err().println("closeout: serving; stop with Ctrl-C");
    context.awaitShutdown();
    return OK;
  }
}
