package com.closeout.evaluation;

import com.closeout.domain.EscalationId;
import com.closeout.domain.TargetSystem;
import com.closeout.sandbox.FaultKind;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Plans a campaign from its seed: which kind each case is, its version, the faults armed on it and
 * how its deliveries are disordered. Everything random here comes from the one seeded generator, so
 * a seed always plans the same campaign.
 */
final class CampaignPlanner {
  /** How far a late delivery may be held back, in cases. */
  static final int MAX_LATENESS = 12;

  private static final List<TargetSystem> WRITE_TARGETS =
      List.of(
          TargetSystem.TRACKER, TargetSystem.LEDGER, TargetSystem.QUEUE, TargetSystem.NOTIFICATION);
  private static final int MAX_FAULT_COUNT = 3;

  private final FaultProfile profile;
  private final SplittableRandom random;

  CampaignPlanner(FaultProfile profile, SplittableRandom random) {
    this.profile = profile;
    this.random = random;
  }

  /** The kinds this profile plans; chaos adds delivery disorder and mid-flight changes. */
  static List<CaseKind> kinds(FaultProfile profile) {
    return List.of(CaseKind.values()).stream()
        .filter(k -> profile.disorder() || !k.chaosOnly())
        .filter(k -> profile.flaky() || k != CaseKind.CLEAN_WITH_FAULT)
        .toList();
  }

  /**
   * The most UNAVAILABLE refusals one case's own faults can add to a closure without progress in
   * between; an outage must leave room for them in the retry budget.
   */
  static int maxRefusalsPerCase(FaultProfile profile) {
    if (profile == FaultProfile.CHAOS) {
      return MAX_FAULT_COUNT; // one fault per case
    }
    return profile.flaky() ? 2 * MAX_FAULT_COUNT : 0;
  }

  List<PlannedCase> plan(int cases, String runTag, Instant t0) {
    List<CaseKind> available = kinds(profile);
    List<CaseKind> anomalies = available.stream().filter(CaseKind::isAnomaly).toList();
    List<CaseKind> kinds = new ArrayList<>();
    for (int i = 0; i < cases; i++) {
      if (i < anomalies.size() && cases >= 2 * anomalies.size()) {
        kinds.add(anomalies.get(i)); // every anomaly at least once when there is room
      } else {
        kinds.add(rollKind(anomalies));
      }
    }
    // Seeded shuffle, so anomalies and faults are spread through the run.
    for (int i = kinds.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      CaseKind swap = kinds.get(i);
      kinds.set(i, kinds.get(j));
      kinds.set(j, swap);
    }
    List<PlannedCase> plan = new ArrayList<>();
    for (int i = 0; i < cases; i++) {
      plan.add(planCase(i, kinds.get(i), cases, runTag, t0));
    }
    return plan;
  }

  private CaseKind rollKind(List<CaseKind> anomalies) {
    int roll = random.nextInt(100);
    if (profile.flaky()) {
      if (roll < 45) {
        return CaseKind.CLEAN;
      }
      if (roll < 60) {
        return CaseKind.CLEAN_WITH_FAULT;
      }
    } else if (roll < 60) {
      return CaseKind.CLEAN;
    }
    if (profile.disorder() && roll < 68) {
      return CaseKind.LATE_DELIVERY;
    }
    return anomalies.get(random.nextInt(anomalies.size()));
  }

  private PlannedCase planCase(int i, CaseKind kind, int cases, String runTag, Instant t0) {
    EscalationId escalation = new EscalationId(String.format("ESC-%s-%05d", runTag, i + 1));
    int version = 1 + random.nextInt(3);
    // The version that must complete: for a stale or reordered case the later of the two.
    if (kind == CaseKind.STALE_VERSION || kind == CaseKind.REORDERED) {
      version++;
    }
    Instant finalizedAt = t0.minus(Duration.ofMinutes(cases - i)).truncatedTo(ChronoUnit.SECONDS);
    List<PlannedFault> faults = new ArrayList<>();
    if (kind.midFlight()) {
      faults.add(forcedWait());
    } else if (kind == CaseKind.CLEAN_WITH_FAULT) {
      int count = profile == FaultProfile.CHAOS ? 1 : 1 + random.nextInt(2);
      for (int f = 0; f < count; f++) {
        faults.add(randomFault());
      }
    } else if (profile.flaky() && kind != CaseKind.LOST_EVENT && random.nextInt(5) == 0) {
      faults.add(randomFault());
    }
    String anomalousEventId =
        switch (kind) {
          case DUPLICATE_DELIVERY, NON_FINALIZED_TYPE -> Campaign.eventId(escalation, version, "a");
          case REEMISSION_NEW_ID -> Campaign.eventId(escalation, version, "b");
          case STALE_VERSION, REORDERED -> Campaign.eventId(escalation, version - 1, "old");
          default -> null;
        };
    int lateBy = 0;
    int redeliverAfter = 0;
    if (profile.disorder()) {
      if (kind == CaseKind.LATE_DELIVERY) {
        lateBy = 1 + random.nextInt(MAX_LATENESS);
      } else if ((kind == CaseKind.DUPLICATE_DELIVERY || kind == CaseKind.REEMISSION_NEW_ID)
          && random.nextBoolean()) {
        lateBy = 1 + random.nextInt(MAX_LATENESS);
      }
      if (kind != CaseKind.LOST_EVENT && random.nextInt(10) == 0) {
        redeliverAfter = 1 + random.nextInt(MAX_LATENESS);
      }
    }
    return new PlannedCase(
        i + 1,
        escalation,
        kind,
        version,
        finalizedAt,
        anomalousEventId,
        faults,
        lateBy,
        redeliverAfter);
  }

  private PlannedFault randomFault() {
    FaultKind kind = FaultKind.values()[random.nextInt(FaultKind.values().length)];
    TargetSystem system =
        kind == FaultKind.UNAVAILABLE && random.nextInt(4) == 0
            ? (random.nextBoolean() ? TargetSystem.REVIEW : TargetSystem.ARCHIVE)
            : WRITE_TARGETS.get(random.nextInt(WRITE_TARGETS.size()));
    return new PlannedFault(system, kind, 1 + random.nextInt(MAX_FAULT_COUNT), false);
  }

  /**
   * The fault that makes a mid-flight case wait for a retry at a chosen step: the first write to
   * one target is refused (or applied with its answer lost), so steps before it stay done.
   */
  private PlannedFault forcedWait() {
    TargetSystem system = WRITE_TARGETS.get(random.nextInt(WRITE_TARGETS.size()));
    return random.nextBoolean()
        ? new PlannedFault(system, FaultKind.UNAVAILABLE, 1, true)
        : new PlannedFault(system, FaultKind.TIMEOUT, 1, false);
  }
}
