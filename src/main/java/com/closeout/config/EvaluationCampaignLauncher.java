package com.closeout.config;

import com.closeout.cli.EvaluationLauncher;
import com.closeout.evaluation.Campaign;
import com.closeout.evaluation.CampaignReport;
import com.closeout.evaluation.CampaignSpec;
import com.closeout.evaluation.Evaluation;
import com.closeout.evaluation.FaultProfile;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The {@code evaluate} command: campaigns on throw-away schemas of the configured store. */
public final class EvaluationCampaignLauncher implements EvaluationLauncher {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Evaluation evaluation;

  public EvaluationCampaignLauncher(Evaluation evaluation) {
    this.evaluation = evaluation;
  }

  @Override
  public int run(Options options, PrintStream out, PrintStream err) {
    FaultProfile profile = FaultProfile.fromWireName(options.profile());
    Duration outage =
        options.outageMinutes() == null ? null : Duration.ofMinutes(options.outageMinutes());
    if (outage != null) {
      Duration longest = Campaign.longestOutage(profile, evaluation.settings());
      if (outage.compareTo(longest) >= 0) {
        err.printf(
            "closeout evaluate: a %d-minute outage outlasts the retry budget of profile %s"
                + " (clean cases could not complete); it must be shorter than %s%n",
            options.outageMinutes(), profile.wireName(), longest);
        return 2;
      }
    }
    CampaignSpec spec =
        new CampaignSpec(
            options.cases(), options.firstSeed(), profile, options.instances(), outage);
    if (!options.soak()) {
      err.printf(
          "closeout evaluate: %d cases, seed %d, faults %s, %d instance(s) ...%n",
          options.cases(), options.firstSeed(), profile.wireName(), options.instances());
      CampaignReport report = evaluation.run(spec);
      if (options.json()) {
        out.println(JSON.writeValueAsString(report));
      } else {
        CampaignReportTable.print("Closeout evaluate", report, out);
      }
      return report.passed() ? 0 : 1;
    }
    Evaluation.SoakResult soak =
        evaluation.soak(
            spec, options.firstSeed(), options.lastSeed(), options.json() ? null : out, err);
    if (options.json()) {
      out.println(JSON.writeValueAsString(soakJson(soak, options)));
    } else {
      out.println(totalLine(soak, options));
    }
    return soak.passed() ? 0 : 1;
  }

  static String totalLine(Evaluation.SoakResult soak, Options options) {
    List<Long> failed = soak.failed().stream().map(Evaluation.SeedResult::seed).toList();
    return String.format(
        Locale.ROOT,
        "soak: %d seeds (%d..%d), faults %s, %d cases, %d instance(s): %d passed, %d failed%s"
            + " in %.1f s",
        soak.seeds().size(),
        options.firstSeed(),
        options.lastSeed(),
        soak.profile().wireName(),
        soak.cases(),
        soak.instances(),
        soak.seeds().size() - failed.size(),
        failed.size(),
        failed.isEmpty() ? "" : " (seeds " + failed + ")",
        soak.seconds());
  }

  private static Map<String, Object> soakJson(Evaluation.SoakResult soak, Options options) {
    List<Map<String, Object>> failures = new ArrayList<>();
    for (Evaluation.SeedResult seed : soak.failed()) {
      for (CampaignReport.Problem problem : seed.problems()) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("seed", seed.seed());
        line.put("escalationId", problem.escalationId());
        line.put("what", problem.what());
        failures.add(line);
      }
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("profile", soak.profile().wireName());
    json.put("cases", soak.cases());
    json.put("instances", soak.instances());
    json.put("firstSeed", options.firstSeed());
    json.put("lastSeed", options.lastSeed());
    json.put("seeds", soak.seeds().size());
    json.put("passed", soak.seeds().size() - soak.failed().size());
    json.put("failed", soak.failed().stream().map(Evaluation.SeedResult::seed).toList());
    json.put("failures", failures);
    json.put("seconds", Math.round(soak.seconds() * 10) / 10.0);
    return json;
  }
}
