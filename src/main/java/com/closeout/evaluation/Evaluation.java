package com.closeout.evaluation;

import com.closeout.propagation.EngineSettings;
import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.propagation.jdbc.StoreSchemas;
import com.closeout.sandbox.SandboxSystems;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The {@code evaluate} command's campaigns: each on fresh sandbox systems and a schema of its own,
 * dropped afterwards, so campaigns never mix and a seed always starts from the same state.
 */
public final class Evaluation {
  /** Every campaign's clock starts here: the same seed gives the same timeline. */
  public static final Instant START = Instant.parse("2026-11-20T08:00:00Z");

  private final DataSource base;
  private final EngineSettings settings;

  public Evaluation(DataSource base, EngineSettings settings) {
    this.base = Objects.requireNonNull(base, "base");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  public EngineSettings settings() {
    return settings;
  }

  /** One campaign; its escalations are tagged by the seed, so a rerun names the same ones. */
  public CampaignReport run(CampaignSpec spec) {
    try (IsolatedSchema schema = StoreSchemas.isolated(base, "eval")) {
      // A soak stopped with Ctrl-C still drops the schema of the campaign it was in.
      Thread dropOnExit = new Thread(schema::close, "closeout-evaluate-cleanup");
      Runtime.getRuntime().addShutdownHook(dropOnExit);
      try {
        SandboxSystems sandbox = new SandboxSystems();
        return new Campaign(
                schema.dataSource(), sandbox, clock -> sandbox.ports(), settings, schema.name())
            .run(spec, runTag(spec.seed()), START);
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(dropOnExit);
        } catch (IllegalStateException shuttingDown) {
          // The hook is running or about to: it drops the schema.
        }
      }
    }
  }

  static String runTag(long seed) {
    return "s" + seed;
  }

  /** One seed's soak result: the report, or why the campaign could not finish. */
  public record SeedResult(long seed, CampaignReport report, String failure) {
    public boolean passed() {
      return failure == null && report.passed();
    }

    /** What broke, one line each: escalation and what. */
    public List<CampaignReport.Problem> problems() {
      if (failure != null) {
        return List.of(new CampaignReport.Problem(CampaignReport.Problem.CAMPAIGN, failure));
      }
      return report.problems();
    }
  }

  /** The soak's outcome over every seed. */
  public record SoakResult(
      FaultProfile profile, int cases, int instances, List<SeedResult> seeds, double seconds) {
    public List<SeedResult> failed() {
      return seeds.stream().filter(s -> !s.passed()).toList();
    }

    public boolean passed() {
      return failed().isEmpty();
    }
  }

  /**
   * Runs one campaign per seed from {@code first} to {@code last}, printing a line per failing
   * seed's problem to {@code out} as it goes and progress to {@code progress}.
   */
  public SoakResult soak(
      CampaignSpec template, long first, long last, PrintStream out, PrintStream progress) {
    long began = System.nanoTime();
    List<SeedResult> results = new ArrayList<>();
    for (long seed = first; seed <= last; seed++) {
      CampaignSpec spec = template.withSeed(seed);
      SeedResult result;
      try {
        result = new SeedResult(seed, run(spec), null);
      } catch (RuntimeException e) {
        result = new SeedResult(seed, null, "campaign could not run: " + e);
      }
      results.add(result);
      if (out != null) {
        for (CampaignReport.Problem problem : result.problems()) {
          out.printf(
              Locale.ROOT, "FAIL seed %d %s: %s%n", seed, problem.escalationId(), problem.what());
        }
      }
      if (progress != null) {
        progress.printf(
            Locale.ROOT,
            "closeout evaluate: seed %d %s (%d of %d)%n",
            seed,
            result.passed() ? "ok" : "FAILED",
            seed - first + 1,
            last - first + 1);
      }
      if (seed == Long.MAX_VALUE) {
        break;
      }
    }
    double seconds = (System.nanoTime() - began) / 1_000_000_000.0;
    return new SoakResult(
        template.profile(), template.cases(), template.instances(), results, seconds);
  }
}
