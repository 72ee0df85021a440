package com.closeout.evaluation;

import java.util.List;
import java.util.Map;

/**
 * The seed's four measures (completion, detection, audit completeness, recovery) and the safety
 * counts, all computed from the store and the sandbox after the run — never from counters the
 * pipeline keeps about itself. Rates are fractions in [0, 1].
 *
 * <p>{@code closuresPerSecond}, {@code p50Millis}, {@code p99Millis} and {@code wallSeconds} are
 * wall-clock timings; everything else is the same for the same seed with one instance.
 *
 * @param lostClosures cases whose closure had to complete and did not
 * @param byKind how the cases of each kind fared
 * @param byFault faults that went off, by {@code system/KIND} (and {@code worker/CRASH}): how
 *     often, on how many cases, and how many of those cases still ended as expected
 * @param problems every broken invariant, per escalation ({@code -} for the whole campaign)
 * @param passed whether every invariant held: no problems
 */
public record CampaignReport(
    long seed,
    String runTag,
    String profile,
    int instances,
    String outage,
    int cases,
    int clean,
    int completedWithoutRepair,
    double completionRate,
    int anomalies,
    int anomaliesCaught,
    double detectionRate,
    int lostClosures,
    int falsePropagations,
    double auditCompleteRate,
    boolean auditChainValid,
    int faulted,
    int recovered,
    double recoveryRate,
    int duplicateEffects,
    int conflictingTimestamps,
    int repeatedLinks,
    long restrictedLeaks,
    double closuresPerSecond,
    double p50Millis,
    double p99Millis,
    double wallSeconds,
    Map<String, KindResult> byKind,
    Map<String, FaultResult> byFault,
    int driftReported,
    List<Problem> problems,
    boolean passed) {

  public CampaignReport {
    byKind = Map.copyOf(byKind);
    byFault = Map.copyOf(byFault);
    problems = List.copyOf(problems);
  }

  /** How the cases of one kind fared. */
  public record KindResult(int cases, int asExpected) {}

  /** One kind of fault: how often it went off, on how many cases, how many ended as expected. */
  public record FaultResult(int injected, int cases, int recovered) {}

  /** One broken invariant. */
  public record Problem(String escalationId, String what) {
    /** The escalation id of a problem of the whole campaign. */
    public static final String CAMPAIGN = "-";
  }

  /** The same report with the wall-clock timings zeroed, for comparing two runs of one seed. */
  public CampaignReport withoutTiming() {
    return new CampaignReport(
        seed,
        runTag,
        profile,
        instances,
        outage,
        cases,
        clean,
        completedWithoutRepair,
        completionRate,
        anomalies,
        anomaliesCaught,
        detectionRate,
        lostClosures,
        falsePropagations,
        auditCompleteRate,
        auditChainValid,
        faulted,
        recovered,
        recoveryRate,
        duplicateEffects,
        conflictingTimestamps,
        repeatedLinks,
        restrictedLeaks,
        0,
        0,
        0,
        0,
        byKind,
        byFault,
        driftReported,
        problems,
        passed);
  }
}
