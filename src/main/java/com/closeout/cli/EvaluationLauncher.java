package com.closeout.cli;

import java.io.PrintStream;

/**
 * Runs seeded fault campaigns for the {@code evaluate} command, each on a throw-away schema of the
 * configured store. Provided as a bean by the evaluation code, which plans, runs and measures them.
 */
@FunctionalInterface
public interface EvaluationLauncher {
  /**
   * Runs one campaign per seed from {@code firstSeed} to {@code lastSeed} and prints the report
   * (one seed) or one line per failing seed and a total (a soak) to {@code out}.
   *
   * @return 0 when every invariant held on every seed, 1 when one broke, 2 for options the campaign
   *     cannot honour (e.g. an outage longer than the retry budget)
   */
  int run(Options options, PrintStream out, PrintStream err);

  /**
   * The {@code evaluate} command's options.
   *
   * @param soak whether a range of seeds was asked for ({@code --seeds}), even of one seed
   * @param profile {@code none}, {@code flaky}, {@code outage}, {@code crashes} or {@code chaos}
   * @param outageMinutes the outage's length in simulated minutes; {@code null} for the default
   */
  record Options(
      int cases,
      long firstSeed,
      long lastSeed,
      boolean soak,
      String profile,
      int instances,
      Integer outageMinutes,
      boolean json) {}
}
