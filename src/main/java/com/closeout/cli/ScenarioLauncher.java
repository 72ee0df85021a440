package com.closeout.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs scenario files (SPEC §7) for the {@code scenario} command. Provided as a bean by the
 * evaluation code, which owns the scenario format and its output.
 */
@FunctionalInterface
public interface ScenarioLauncher {
  /**
   * Runs every file and prints each result to {@code out} (one JSON object when {@code json}).
   *
   * @return 0 when every scenario passed, 1 when one failed, 2 when one was malformed
   */
  int run(List<Path> files, boolean json, PrintStream out, PrintStream err);
}
