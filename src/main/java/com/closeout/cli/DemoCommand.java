package com.closeout.cli;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Generates escalations with known ground truth, runs them through the pipeline and prints the
 * report; then serves on, so the results can be looked at, unless {@code --exit}.
 */
final class DemoCommand implements CliCommand {

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String usage() {
    return "demo [--cases N] [--seed S] [--json] [--exit] [--targets sandbox|http]"
        + " [--sandbox-url URL]";
  }

  @Override
  public String summary() {
    return "run a generated campaign (default 200 cases), print the report, keep serving";
  }

  @Override
  public int run(List<String> args, CommandContext context) throws UsageException {
    DemoOptions options = parse(args);
    // The worker waits until the campaign has run: the campaign drains its own work.
    Services services = options.exit() ? context.services() : context.serve(false);
    Optional<DemoLauncher> launcher = services.find(DemoLauncher.class);
    if (launcher.isEmpty()) {
      context.err().println("closeout demo: this build has no demo campaign");
      return FAILED;
    }
    int status = launcher.get().run(options, context.out(), context.err());
    context.out().flush();
    if (options.exit()) {
      return status;
    }
    services.startWorker();
    context.err().println("closeout: demo done; serving on, stop with Ctrl-C");
    context.awaitShutdown();
    return status;
  }

  static DemoOptions parse(List<String> args) throws UsageException {
    Arguments arguments =
        Arguments.parse(
            args,
            Set.of("--json", "--exit"),
            Set.of("--cases", "--seed", "--targets", "--sandbox-url"));
    arguments.expectPositionals(0, "nothing");
    long cases = arguments.longOption("--cases", DemoOptions.DEFAULT_CASES, 1);
    if (cases > 1_000_000) {
      throw new UsageException("--cases must be at most 1000000");
    }
    long seed = arguments.longOption("--seed", DemoOptions.DEFAULT_SEED, Long.MIN_VALUE);
    String targetsText = arguments.option("--targets").orElse("sandbox").strip();
    DemoOptions.Targets targets;
    if (targetsText.equals("sandbox")) {
      targets = DemoOptions.Targets.SANDBOX;
    } else if (targetsText.equals("http")) {
      targets = DemoOptions.Targets.HTTP;
    } else {
      throw new UsageException("--targets is sandbox or http, not '" + targetsText + "'");
    }
    java.net.URI sandboxUrl = null;
    if (arguments.option("--sandbox-url").isPresent()) {
      if (targets != DemoOptions.Targets.HTTP) {
        throw new UsageException("--sandbox-url needs --targets http");
      }
      sandboxUrl = ServerClient.parseBase(arguments.option("--sandbox-url").get());
    }
    return new DemoOptions(
        (int) cases, seed, arguments.flag("--json"), arguments.flag("--exit"), targets, sandboxUrl);
  }
}
