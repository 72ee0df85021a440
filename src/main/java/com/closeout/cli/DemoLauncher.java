package com.closeout.cli;

import java.io.PrintStream;

/**
 * Runs the demo campaign for the {@code demo} command. Provided as a bean by the evaluation code,
 * which generates the cases and computes the report.
 */
@FunctionalInterface
public interface DemoLauncher {
  /**
   * Runs the campaign and prints its report to {@code out} (one JSON object when {@code json}).
   *
   * @return the exit status: 0 when the campaign ran
   */
  int run(DemoOptions options, PrintStream out, PrintStream err);
}
