package com.closeout.evaluation;

import com.closeout.audit.AuditAction;
import com.closeout.audit.AuditEntry;
import com.closeout.audit.Drift;
import com.closeout.audit.DriftReport;
import com.closeout.domain.ClosureKey;
import com.closeout.domain.ClosureStatus;
import com.closeout.domain.EscalationId;
import com.closeout.domain.EventOutcome;
import com.closeout.domain.Step;
import com.closeout.domain.TargetSystem;
import com.closeout.followup.FollowUp;
import com.closeout.intake.InboxEntry;
import com.closeout.propagation.CloseoutStores;
import com.closeout.propagation.Closure;
import com.closeout.sandbox.SandboxControl;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.QueueItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads what a campaign left in the store and the sandbox and compares it with the plan's ground
 * truth. Nothing here asks the pipeline what it thinks it did.
 */
final class CampaignMeasures {
  /** One clean closure's writes: tracker 3, ledger 3, queue 1, notification 1 (SPEC §7.2). */
  private static final Map<TargetSystem, Integer> CLEAN_WRITES =
      Map.of(
          TargetSystem.TRACKER, 3,
          TargetSystem.LEDGER, 3,
          TargetSystem.QUEUE, 1,
          TargetSystem.NOTIFICATION, 1);

  private final CloseoutStores stores;
  private final SandboxControl sandbox;

  CampaignMeasures(CloseoutStores stores, SandboxControl sandbox) {
    this.stores = stores;
    this.sandbox = sandbox;
  }

  CampaignReport measure(
      long seed,
      String runTag,
      List<PlannedCase> plan,
      List<Double> latencies,
      double seconds,
      DriftReport drift) {
    int clean = 0;
    int completedWithoutRepair = 0;
    int anomalies = 0;
    int caught = 0;
    int falsePropagations = 0;
    int completedClosures = 0;
    int completeTrails = 0;
    int faulted = 0;
    int recovered = 0;
    int duplicateEffects = 0;
    int conflictingTimestamps = 0;
    int repeatedLinks = 0;
    List<String> texts = new ArrayList<>();
    Map<String, int[]> byKind = new TreeMap<>();

    for (PlannedCase planned : plan) {
      EscalationId escalation = planned.escalationId();
      Optional<Closure> closure =
          stores.closures().find(new ClosureKey(escalation, planned.version()));
      boolean completed = closure.map(c -> c.status() == ClosureStatus.COMPLETED).orElse(false);
      List<FollowUp> followUps =
          closure.map(c -> stores.followUps().forClosure(c.id())).orElse(List.of());
      Map<TargetSystem, Integer> writes = sandbox.writes(escalation);
      Optional<BookkeepingRecord> tracker = sandbox.tracker(escalation);
      Optional<BookkeepingRecord> ledger = sandbox.ledger(escalation);
      Optional<QueueItem> queueItem = sandbox.queueItem(escalation);
      List<AuditEntry> trail = stores.audit().forEscalation(escalation.value());
      trail.forEach(e -> texts.add(e.toString()));
      for (Closure any : stores.closures().forEscalation(escalation)) {
        stores.followUps().forClosure(any.id()).forEach(f -> texts.add(f.toString()));
      }

      repeatedLinks += repeated(tracker) + repeated(ledger);
      boolean asExpected;
      if (planned.kind().propagates()) {
        boolean exact = exactlyOnce(writes) && sandbox.notices(escalation).size() == 1;
        if (completed && !exact) {
          duplicateEffects++;
        }
        boolean timesRight =
            closedAt(tracker).equals(Optional.of(planned.finalizedAt()))
                && closedAt(ledger).equals(Optional.of(planned.finalizedAt()))
                && queueItem.map(QueueItem::closedAt).equals(Optional.of(planned.finalizedAt()));
        if (completed && !timesRight) {
          conflictingTimestamps++;
        }
        if (completed) {
          completedClosures++;
          if (trailComplete(closure.get(), trail)) {
            completeTrails++;
          }
        }
        asExpected = completed && exact && timesRight;
      } else {
        boolean wroteSomething =
            writes.values().stream().anyMatch(n -> n > 0)
                || tracker.map(r -> r.dispositionVersion() != null).orElse(false)
                || ledger.map(r -> r.dispositionVersion() != null).orElse(false)
                || !sandbox.notices(escalation).isEmpty();
        if (wroteSomething) {
          falsePropagations++;
        }
        asExpected = !wroteSomething;
      }
      if (planned.kind().isAnomaly()) {
        anomalies++;
        boolean detected =
            planned.kind().caughtByReconciliation()
                ? lostEventReported(drift, escalation)
                : detected(planned, followUps, trail);
        if (detected && asExpected) {
          caught++;
        }
        asExpected = asExpected && detected;
      } else {
        clean++;
        if (completed) {
          completedWithoutRepair++;
        }
      }
      if (planned.faulted()) {
        faulted++;
        if (completed) {
          recovered++;
        }
      }
      int[] tally = byKind.computeIfAbsent(planned.kind().name(), k -> new int[2]);
      tally[0]++;
      if (asExpected) {
        tally[1]++;
      }
    }

    long leaks = sandbox.restrictedLeaksInTargets() + sandbox.countRestrictedOccurrences(texts);
    Map<String, CampaignReport.KindResult> kinds = new TreeMap<>();
    byKind.forEach((k, v) -> kinds.put(k, new CampaignReport.KindResult(v[0], v[1])));
    List<Double> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    return new CampaignReport(
        seed,
        runTag,
        plan.size(),
        clean,
        completedWithoutRepair,
        rate(completedWithoutRepair, clean),
        anomalies,
        caught,
        rate(caught, anomalies),
        falsePropagations,
        rate(completeTrails, completedClosures),
        stores.audit().verify().isEmpty(),
        faulted,
        recovered,
        rate(recovered, faulted),
        duplicateEffects,
        conflictingTimestamps,
        repeatedLinks,
        leaks,
        seconds <= 0 ? 0 : round(completedClosures / seconds),
        round(percentile(sorted, 0.50)),
        round(percentile(sorted, 0.99)),
        kinds,
        drift.drift().size());
  }

  private boolean detected(PlannedCase planned, List<FollowUp> followUps, List<AuditEntry> trail) {
    boolean followUpOk =
        planned
            .kind()
            .expectedFollowUp()
            .map(reason -> followUps.stream().anyMatch(f -> f.reason() == reason))
            .orElse(true);
    boolean eventOk =
        planned.kind().expectedEventOutcome().map(e -> eventCaught(planned, e, trail)).orElse(true);
    return followUpOk && eventOk;
  }

  private static boolean lostEventReported(DriftReport drift, EscalationId escalation) {
    return drift.drift().stream()
        .anyMatch(
            d -> d.kind() == Drift.Kind.LOST_EVENT && d.escalationId().equals(escalation.value()));
  }

  /**
   * A re-emission under a new id is settled in the inbox; a redelivery of the same id leaves the
   * first delivery's inbox row alone and is recorded in the audit trail instead.
   */
  private boolean eventCaught(PlannedCase planned, String expected, List<AuditEntry> trail) {
    String eventId = planned.anomalousEventId();
    boolean settled =
        stores
            .inbox()
            .find(eventId)
            .map(InboxEntry::outcome)
            .map(EventOutcome::name)
            .filter(expected::equals)
            .isPresent();
    boolean audited =
        trail.stream()
            .anyMatch(e -> eventId.equals(e.eventId()) && e.action().name().equals(expected));
    return settled || audited;
  }

  /**
   * A complete trail links the source event to every step: received, verified, each of the six
   * steps (archive links on both records, the notice with its channel), completed.
   */
  private static boolean trailComplete(Closure closure, List<AuditEntry> trail) {
    int version = closure.key().dispositionVersion();
    List<AuditEntry> mine =
        trail.stream().filter(e -> Objects.equals(e.dispositionVersion(), version)).toList();
    boolean received =
        mine.stream()
            .anyMatch(
                e ->
                    e.action() == AuditAction.RECEIVED
                        && closure.eventId().value().equals(e.eventId()));
    boolean verified = mine.stream().anyMatch(e -> e.action() == AuditAction.VERIFIED);
    boolean completed = mine.stream().anyMatch(e -> e.action() == AuditAction.COMPLETED);
    for (Step step : Step.values()) {
      List<AuditEntry> stepEntries =
          mine.stream()
              .filter(
                  e ->
                      (e.action() == AuditAction.STEP_DONE
                              || e.action() == AuditAction.STEP_SKIPPED)
                          && e.detail() != null
                          && e.detail().startsWith(step.name()))
              .toList();
      Set<TargetSystem> systems = new HashSet<>();
      stepEntries.forEach(e -> systems.add(e.targetSystem()));
      boolean written = stepEntries.stream().anyMatch(e -> e.action() == AuditAction.STEP_DONE);
      Set<TargetSystem> needed =
          step == Step.ARCHIVE_LINK
              ? (written
                  ? Set.of(TargetSystem.TRACKER, TargetSystem.LEDGER)
                  : Set.of(TargetSystem.TRACKER))
              : Set.of(step.target());
      boolean noticeNamed =
          step != Step.COORDINATOR_NOTIFY
              || stepEntries.stream().allMatch(e -> e.notificationTarget() != null);
      if (!systems.containsAll(needed) || !noticeNamed) {
        return false;
      }
    }
    return received && verified && completed;
  }

  private static boolean exactlyOnce(Map<TargetSystem, Integer> writes) {
    for (var expected : CLEAN_WRITES.entrySet()) {
      if (!Objects.equals(writes.getOrDefault(expected.getKey(), 0), expected.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static Optional<Instant> closedAt(Optional<BookkeepingRecord> record) {
    return record.map(BookkeepingRecord::closedAt);
  }

  private static int repeated(Optional<BookkeepingRecord> record) {
    if (record.isEmpty()) {
      return 0;
    }
    Set<String> seen = new HashSet<>();
    int repeats = 0;
    for (var ref : record.get().archiveRefs()) {
      if (!seen.add(ref.uri())) {
        repeats++;
      }
    }
    return repeats;
  }

  private static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int index = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static double rate(int part, int whole) {
    return whole == 0 ? 1.0 : round((double) part / whole);
  }

  private static double round(double value) {
    return Math.round(value * 10_000.0) / 10_000.0;
  }
}
