package com.closeout.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code closeout} command line, the jar's entry point: dispatches on the first argument. Exit
 * status 0 on success, 1 on failure, 2 on bad usage.
 */
public final class CloseoutCli {

  private final Map<String, CliCommand> commands = new LinkedHashMap<>();

  private final HelpCommand help;

  /** The given commands, and {@code help} listing them. */
  public CloseoutCli(List<CliCommand> commands) {
    commands.forEach(command -> this.commands.put(command.name(), command));
    help = new HelpCommand(this.commands::values);
    this.commands.put(help.name(), help);
  }

  public static CloseoutCli standard() {
    return new CloseoutCli(
        List.of(
            new ServeCommand(),
            new DemoCommand(),
            new EvaluateCommand(),
            new ScenarioCommand(),
            new ReplayCommand(),
            new AuditCommand(),
            new ReconcileCommand(),
            new FollowUpsCommand(),
            new RevertCommand(),
            new TargetsCommand(),
            new CheckConfigCommand(),
            new SandboxCommand(),
            new BenchCommand()));
  }

  public static void main(String[] args) {
    int status;
    try (SpringCommandContext context = new SpringCommandContext(System.out, System.err)) {
      status = standard().run(args, context);
    }
    System.out.flush();
    // Exit explicitly: pools and the embedded database must not keep a one-shot command alive.
    System.exit(status);
  }

  public int run(String[] args, CommandContext context) {
    if (args.length == 0) {
      context.err().println("closeout: a command is required");
      printUsage(context.err());
      return CliCommand.USAGE;
    }
    String name = args[0];
    if (name.equals("--help") || name.equals("-h")) {
      name = HelpCommand.NAME;
    }
    Optional<CliCommand> command = Optional.ofNullable(commands.get(name));
    if (command.isEmpty()) {
      context.err().println("closeout: unknown command '" + name + "'");
      printUsage(context.err());
      return CliCommand.USAGE;
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    try {
      return command.get().run(rest, context);
    } catch (UsageException e) {
      context.err().println("closeout " + name + ": " + e.getMessage());
      command
          .get()
          .usage()
          .lines()
          .forEach(form -> context.err().println("usage: closeout " + form));
      return CliCommand.USAGE;
    } catch (ServerUnreachableException e) {
      context.err().println("closeout " + name + ": " + e.getMessage());
      return CliCommand.FAILED;
    } catch (RuntimeException e) {
      context.err().println("closeout " + name + ": failed: " + describe(e));
      return CliCommand.FAILED;
    }
  }

  private void printUsage(PrintStream stream) {
    help.printUsage(stream);
  }

  /** The innermost cause's message: what went wrong, not the layers that carried it. */
  static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }
}
