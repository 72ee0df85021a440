package com.closeout.cli;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Seeded fault campaigns through the real pipeline, on a throw-away schema of the configured store:
 * one seed's report, or a soak over a range of seeds that names every failing seed.
 */
final class EvaluateCommand implements CliCommand {
  static final Set<String> PROFILES = Set.of("none", "flaky", "outage", "crashes", "chaos");
  static final int DEFAULT_CASES = 200;
  static final int MAX_INSTANCES = 8;

  @Override
  public String name() {
    return "evaluate";
  }

  @Override
  public String usage() {
    return """
        evaluate [--cases N] [--seed S] [--faults PROFILE] [--instances K] [--outage-minutes M] [--json]
        evaluate --seeds A..B [--cases N] [--faults PROFILE] [--instances K] [--outage-minutes M] [--json]""";
  }

  @Override
  public String summary() {
    return "seeded fault campaign (PROFILE: none, flaky, outage, crashes, chaos) with its report, or a"
        + " soak over seeds A..B; exit 1 when an invariant broke";
  }

  @Override
  public int run(List<String> args, CommandContext context) throws UsageException {
    EvaluationLauncher.Options options = parse(args);
    Optional<EvaluationLauncher> launcher = context.services().find(EvaluationLauncher.class);
    if (launcher.isEmpty()) {
      context.err().println("closeout evaluate: this build has no evaluation campaigns");
      return FAILED;
    }
    int status = launcher.get().run(options, context.out(), context.err());
    context.out().flush();
    return status;
  }

  static EvaluationLauncher.Options parse(List<String> args) throws UsageException {
    Arguments arguments =
        Arguments.parse(
            args,
            Set.of("--json"),
            Set.of("--cases", "--seed", "--seeds", "--faults", "--instances", "--outage-minutes"));
    arguments.expectPositionals(0, "nothing");
    long cases = arguments.longOption("--cases", DEFAULT_CASES, 1);
    if (cases > 1_000_000) {
      throw new UsageException("--cases must be at most 1000000");
    }
    String profile = arguments.option("--faults").orElse("none");
    if (!PROFILES.contains(profile)) {
      throw new UsageException(
          "--faults must be none, flaky, outage, crashes or chaos, not '" + profile + "'");
    }
    long instances = arguments.longOption("--instances", 1, 1);
    if (instances > MAX_INSTANCES) {
      throw new UsageException("--instances must be at most " + MAX_INSTANCES);
    }
    Integer outageMinutes = null;
    if (arguments.option("--outage-minutes").isPresent()) {
      if (!profile.equals("outage") && !profile.equals("chaos")) {
        throw new UsageException("--outage-minutes needs --faults outage or chaos");
      }
      outageMinutes =
          (int) Math.min(Integer.MAX_VALUE, arguments.longOption("--outage-minutes", 1, 1));
    }
    long first;
    long last;
    boolean soak = arguments.option("--seeds").isPresent();
    if (soak) {
      if (arguments.option("--seed").isPresent()) {
        throw new UsageException("give --seed or --seeds, not both");
      }
      String range = arguments.option("--seeds").get();
      int dots = range.indexOf("..");
      if (dots < 0) {
        throw new UsageException("--seeds must be a range A..B, e.g. 1..50, not '" + range + "'");
      }
      first = Arguments.parseLong("--seeds start", range.substring(0, dots), Long.MIN_VALUE);
      last = Arguments.parseLong("--seeds end", range.substring(dots + 2), Long.MIN_VALUE);
      if (last < first) {
        throw new UsageException("--seeds must not end before it starts");
      }
    } else {
      first = arguments.longOption("--seed", 1, Long.MIN_VALUE);
      last = first;
    }
    return new EvaluationLauncher.Options(
        (int) cases,
        first,
        last,
        soak,
        profile,
        (int) instances,
        outageMinutes,
        arguments.flag("--json"));
  }
}
