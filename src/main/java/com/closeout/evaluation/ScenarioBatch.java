package com.closeout.evaluation;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Runs scenario files one after another for the {@code closeout scenario FILE... [--json]} command
 * (SPEC §7): each run gets its own throw-away schema on {@code base}.
 */
public final class ScenarioBatch {
  public static final int PASSED = 0;
  public static final int FAILED = 1;
  public static final int MALFORMED = 2;

  private final DataSource base;
  private final ScenarioRunner runner;

  public ScenarioBatch(DataSource base) {
    this(base, new ScenarioRunner());
  }

  public ScenarioBatch(DataSource base, ScenarioRunner runner) {
    this.base = Objects.requireNonNull(base, "base");
    this.runner = Objects.requireNonNull(runner, "runner");
  }

  /**
   * Prints one JSON object per file on {@code out} with {@code json}, else one line per file; the
   * reasons a scenario failed or could not run go to {@code err}.
   *
   * @return 0 when every scenario passed, 2 when one was malformed, else 1 when one failed
   */
  public int run(List<Path> files, boolean json, PrintStream out, PrintStream err) {
    boolean malformed = false;
    boolean failed = false;
    for (Path file : files) {
      Scenario scenario;
      try {
        scenario = ScenarioFile.parse(file);
      } catch (MalformedScenarioException e) {
        err.println(file + ": malformed scenario: " + e.getMessage());
        malformed = true;
        continue;
      }
      ScenarioResult result;
      try {
        result = runner.run(scenario, base);
      } catch (RuntimeException e) {
        err.println(file + ": scenario could not run: " + e.getClass().getSimpleName());
        failed = true;
        continue;
      }
      if (json) {
        out.println(result.toJson());
      } else {
        out.println(
            (result.passed() ? "PASS " : "FAIL ")
                + result.scenario()
                + " (audit "
                + result.auditEntries()
                + (result.chainValid() ? ", chain valid" : ", CHAIN BROKEN")
                + ", restricted leaks "
                + result.restrictedLeaks()
                + ")");
      }
      result.mismatches().forEach(m -> err.println(result.scenario() + ": " + m));
      failed |= !result.passed();
    }
    return malformed ? MALFORMED : failed ? FAILED : PASSED;
  }
}
