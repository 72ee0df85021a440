package com.closeout.evaluation;

import java.util.Map;

/**
 * The seed's four measures (completion, detection, audit completeness, recovery) and the safety
 * counts, all computed from the store and the sandbox after the run — never from counters the
 * pipeline keeps about itself. Rates are fractions in [0, 1].
 */
public record CampaignReport(
    long seed,
    String runTag,
    int cases,
    int clean,
    int completedWithoutRepair,
    double completionRate,
    int anomalies,
    int anomaliesCaught,
    double detectionRate,
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
    Map<String, KindResult> byKind) {

  /** How the cases of one kind fared. */
  public record KindResult(int cases, int asExpected) {}
}
