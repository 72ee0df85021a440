package com.closeout.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Runs scenario files against the sandbox systems (SPEC §7). */
final class ScenarioCommand implements CliCommand {

  @Override
  public String name() {
    return "scenario";
  }

  @Override
  public String usage() {
    return "scenario FILE... [--json]";
  }

  @Override
  public String summary() {
    return "run scenario files; exit 0 all passed, 1 one failed, 2 one malformed";
  }

  @Override
  public int run(List<String> args, CommandContext context) throws UsageException {
    Arguments arguments = Arguments.parse(args, Set.of("--json"), Set.of());
    if (arguments.positionals().isEmpty()) {
      throw new UsageException("missing FILE");
    }
    List<Path> files = new ArrayList<>();
    for (String name : arguments.positionals()) {
      Path file = Path.of(name);
      if (!Files.isRegularFile(file)) {
        context.err().println("closeout scenario: no such file: " + name);
        return USAGE;
      }
      files.add(file);
    }
    Optional<ScenarioLauncher> launcher = context.services().find(ScenarioLauncher.class);
    if (launcher.isEmpty()) {
      context.err().println("closeout scenario: this build has no scenario runner");
      return FAILED;
    }
    return launcher.get().run(files, arguments.flag("--json"), context.out(), context.err());
  }
}
