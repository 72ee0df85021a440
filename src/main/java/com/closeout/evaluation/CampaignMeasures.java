package com.closeout.evaluation;

import com.closeout.audit.AuditAction;
import com.closeout.audit.AuditEntry;
import com.closeout.audit.AuditTrail;
import com.closeout.audit.Drift;
import com.closeout.audit.DriftReport;
import com.closeout.domain.ClosureKey;
import com.closeout.domain.ClosureStatus;
import com.closeout.domain.EscalationId;
import com.closeout.domain.EventOutcome;
import com.closeout.domain.FollowUpReason;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Measures a campaign from what the store and the sandbox hold afterwards, case by case against the
 * ground truth the campaign planted, and names every broken invariant with its escalation.
 */
final class CampaignMeasures {
  /** One clean closure's state-changing calls per target (SPEC §7.2 {@code writes}). */
  static final Map<TargetSystem, Integer> CLEAN_WRITES =
      Map.of(
          TargetSystem.TRACKER, 3,
          TargetSystem.LEDGER, 3,
          TargetSystem.QUEUE, 1,
          TargetSystem.NOTIFICATION, 1);

  static final String CRASH = "worker/CRASH";

  private final CloseoutStores stores;
  private final SandboxControl sandbox;

  CampaignMeasures(CloseoutStores stores, SandboxControl sandbox) {
    this.stores = stores;
    this.sandbox = sandbox;
  }

  /** What the campaign knows besides the store and the sandbox. */
  record Inputs(
      CampaignSpec spec,
      String runTag,
      List<PlannedCase> plan,
      List<Double> latencies,
      double seconds,
      DriftReport drift,
      CampaignPorts faults,
      Map<String, Integer> crashes,
      Map<String, Campaign.SourceChange> changes,
      List<CampaignReport.Problem> campaignProblems,
      List<String> texts,
      Optional<String> outage) {}

  CampaignReport measure(Inputs in) {
    // The campaign is over: every entry it appended is committed and can be chained before the
    // trails and the chain are measured.
    stores.audit().chainAllPending();
    int clean = 0;
    int completedWithoutRepair = 0;
    int anomalies = 0;
    int caught = 0;
    int lost = 0;
    int falsePropagations = 0;
    int completedClosures = 0;
    int completeTrails = 0;
    int faulted = 0;
    int recovered = 0;
    int duplicateEffects = 0;
    int conflictingTimestamps = 0;
    int repeatedLinks = 0;
    List<String> texts = new ArrayList<>(in.texts());
    Map<String, int[]> byKind = new TreeMap<>();
    Map<String, int[]> byFault = new TreeMap<>();
    List<CampaignReport.Problem> problems = new ArrayList<>();

    for (PlannedCase planned : in.plan()) {
      EscalationId escalation = planned.escalationId();
      CaseKind kind = planned.kind();
      Optional<Closure> closure =
          stores.closures().find(new ClosureKey(escalation, planned.version()));
      boolean completed = closure.map(c -> c.status() == ClosureStatus.COMPLETED).orElse(false);
      List<FollowUp> followUps =
          closure.map(c -> stores.followUps().forClosure(c.id())).orElse(List.of());
      Map<TargetSystem, Integer> writes = sandbox.writes(escalation);
      Optional<BookkeepingRecord> tracker = sandbox.tracker(escalation);
      Optional<BookkeepingRecord> ledger = sandbox.ledger(escalation);
      Optional<QueueItem> queueItem = sandbox.queueItem(escalation);
      int notices = sandbox.notices(escalation).size();
      List<AuditEntry> trail = stores.audit().forEscalation(escalation.value());
      trail.forEach(e -> texts.add(e.toString()));
      for (Closure any : stores.closures().forEscalation(escalation)) {
        stores.followUps().forClosure(any.id()).forEach(f -> texts.add(f.toString()));
      }
      List<String> wrong = new ArrayList<>();

      int repeats = repeated(tracker) + repeated(ledger);
      if (repeats > 0) {
        repeatedLinks += repeats;
        wrong.add(repeats + " archive link(s) repeated on tracker or ledger");
      }
      boolean asExpected;
      if (kind.midFlight()) {
        Campaign.SourceChange change = in.changes().get(escalation.value());
        if (change == null) {
          asExpected = false; // the campaign already named why the change was not made
        } else {
          List<CampaignPorts.Write> after =
              in.faults().writes(escalation).stream()
                  .filter(w -> w.sequence() > change.mark())
                  .toList();
          if (!after.isEmpty()) {
            falsePropagations++;
            wrong.add(
                "written after the source changed ("
                    + change.what()
                    + ", at "
                    + change.at()
                    + "): "
                    + after.stream()
                        .map(w -> w.system().wireName() + " at " + w.at())
                        .collect(Collectors.joining(", ")));
          }
          asExpected = after.isEmpty();
        }
      } else if (kind.propagates()) {
        boolean exact = exactlyOnce(writes) && notices == 1;
        if (completed && !exact) {
          duplicateEffects++;
          wrong.add(
              "writes "
                  + counted(writes)
                  + " and "
                  + notices
                  + " notice(s); one closure is tracker 3, ledger 3, queue 1, notification 1");
        }
        boolean timesRight =
            closedAt(tracker).equals(Optional.of(planned.finalizedAt()))
                && closedAt(ledger).equals(Optional.of(planned.finalizedAt()))
                && queueItem.map(QueueItem::closedAt).equals(Optional.of(planned.finalizedAt()));
        if (completed && !timesRight) {
          conflictingTimestamps++;
          wrong.add(
              "closedAt tracker "
                  + closedAt(tracker).orElse(null)
                  + ", ledger "
                  + closedAt(ledger).orElse(null)
                  + ", queue "
                  + queueItem.map(QueueItem::closedAt).orElse(null)
                  + "; the record's finalizedAt is "
                  + planned.finalizedAt());
        }
        boolean versionRight =
            version(tracker) == planned.version() && version(ledger) == planned.version();
        if (completed && !versionRight) {
          falsePropagations++;
          wrong.add(
              "targets hold version "
                  + version(tracker)
                  + "/"
                  + version(ledger)
                  + ", the completed closure is v"
                  + planned.version());
        }
        if (completed) {
          completedClosures++;
          if (trailComplete(closure.get(), trail)) {
            completeTrails++;
          } else {
            wrong.add("the completed closure's audit trail is incomplete");
          }
        } else {
          lost++;
          wrong.add(
              "closure of v"
                  + planned.version()
                  + " ended "
                  + describe(closure, followUps)
                  + ", expected COMPLETED");
        }
        asExpected = completed && exact && timesRight && versionRight;
      } else {
        boolean wroteSomething =
            writes.values().stream().anyMatch(n -> n > 0)
                || tracker.map(r -> r.dispositionVersion() != null).orElse(false)
                || ledger.map(r -> r.dispositionVersion() != null).orElse(false)
                || notices > 0;
        if (wroteSomething) {
          falsePropagations++;
          wrong.add("wrote " + counted(writes) + " though it must write nothing");
        }
        asExpected = !wroteSomething;
      }
      if (kind.isAnomaly()) {
        anomalies++;
        boolean detected;
        if (kind.caughtByReconciliation()) {
          detected = lostEventReported(in.drift(), escalation);
        } else if (kind == CaseKind.REORDERED) {
          detected = reorderedCaught(planned);
        } else if (kind.midFlight()) {
          detected =
              closure.map(c -> c.status() == ClosureStatus.FOLLOW_UP).orElse(false)
                  && detected(planned, followUps, trail);
        } else {
          detected = detected(planned, followUps, trail);
        }
        if (!detected) {
          wrong.add(
              "not caught: " + expectation(planned) + "; closure " + describe(closure, followUps));
        }
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

      Map<String, Integer> injected = new TreeMap<>(in.faults().fired(escalation));
      Integer crashed = in.crashes().get(escalation.value());
      if (crashed != null) {
        injected.put(CRASH, crashed);
      }
      if (!injected.isEmpty()) {
        faulted++;
        if (asExpected) {
          recovered++;
        }
      }
      for (Map.Entry<String, Integer> fault : injected.entrySet()) {
        int[] tally = byFault.computeIfAbsent(fault.getKey(), k -> new int[3]);
        tally[0] += fault.getValue();
        tally[1]++;
        if (asExpected) {
          tally[2]++;
        }
      }
      int[] tally = byKind.computeIfAbsent(kind.name(), k -> new int[2]);
      tally[0]++;
      if (asExpected) {
        tally[1]++;
      }
      String faultNote = injected.isEmpty() ? "" : " (faults " + injected + ")";
      for (String what : wrong) {
        problems.add(
            new CampaignReport.Problem(escalation.value(), kind + faultNote + ": " + what));
      }
    }

    problems.addAll(in.campaignProblems());
    Optional<AuditTrail.ChainBreak> chainBreak = stores.audit().verify();
    chainBreak.ifPresent(
        b ->
            problems.add(
                new CampaignReport.Problem(
                    CampaignReport.Problem.CAMPAIGN,
                    "audit chain broken at entry " + b.sequence() + ": " + b.why())));
    long leaks = sandbox.restrictedLeaksInTargets() + sandbox.countRestrictedOccurrences(texts);
    if (leaks > 0) {
      problems.add(
          new CampaignReport.Problem(
              CampaignReport.Problem.CAMPAIGN,
              leaks + " restricted value occurrence(s) outside the review system"));
    }
    Map<String, CampaignReport.KindResult> kinds = new TreeMap<>();
    byKind.forEach((k, v) -> kinds.put(k, new CampaignReport.KindResult(v[0], v[1])));
    Map<String, CampaignReport.FaultResult> faults = new TreeMap<>();
    byFault.forEach((k, v) -> faults.put(k, new CampaignReport.FaultResult(v[0], v[1], v[2])));
    List<Double> sorted = new ArrayList<>(in.latencies());
    Collections.sort(sorted);
    return new CampaignReport(
        in.spec().seed(),
        in.runTag(),
        in.spec().profile().wireName(),
        in.spec().instances(),
        in.outage().orElse(null),
        in.plan().size(),
        clean,
        completedWithoutRepair,
        rate(completedWithoutRepair, clean),
        anomalies,
        caught,
        rate(caught, anomalies),
        lost,
        falsePropagations,
        rate(completeTrails, completedClosures),
        chainBreak.isEmpty(),
        faulted,
        recovered,
        rate(recovered, faulted),
        duplicateEffects,
        conflictingTimestamps,
        repeatedLinks,
        leaks,
        in.seconds() <= 0 ? 0 : round(completedClosures / in.seconds()),
        round(percentile(sorted, 0.50)),
        round(percentile(sorted, 0.99)),
        round(in.seconds()),
        kinds,
        faults,
        in.drift().drift().size(),
        problems,
        problems.isEmpty());
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

  private static String expectation(PlannedCase planned) {
    CaseKind kind = planned.kind();
    if (kind.caughtByReconciliation()) {
      return "reconciliation must report it as a lost event";
    }
    if (kind == CaseKind.REORDERED) {
      return "the earlier event " + planned.anomalousEventId() + " must end STALE or superseded";
    }
    List<String> wanted = new ArrayList<>();
    kind.expectedFollowUp().ifPresent(r -> wanted.add("a " + r + " follow-up"));
    kind.expectedEventOutcome()
        .ifPresent(o -> wanted.add("event " + planned.anomalousEventId() + " " + o));
    return "expected " + String.join(" and ", wanted);
  }

  /**
   * The earlier version's event, delivered after the later one, starts nothing that writes: it is
   * STALE once the later closure completed, or stopped as DISPOSITION_SUPERSEDED while it runs.
   */
  private boolean reorderedCaught(PlannedCase planned) {
    Optional<InboxEntry> entry = stores.inbox().find(planned.anomalousEventId());
    if (entry.isEmpty()) {
      return false;
    }
    if (entry.get().outcome() == EventOutcome.STALE) {
      return true;
    }
    ClosureKey earlier = new ClosureKey(planned.escalationId(), planned.version() - 1);
    Optional<Closure> closure = stores.closures().find(earlier);
    if (closure.isEmpty()) {
      return false;
    }
    if (closure.get().status() == ClosureStatus.STALE) {
      return true;
    }
    return closure.get().status() == ClosureStatus.FOLLOW_UP
        && stores.followUps().forClosure(closure.get().id()).stream()
            .anyMatch(f -> f.reason() == FollowUpReason.DISPOSITION_SUPERSEDED);
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

  private static String describe(Optional<Closure> closure, List<FollowUp> followUps) {
    if (closure.isEmpty()) {
      return "never started";
    }
    String reasons =
        followUps.stream().map(f -> f.reason().name()).distinct().sorted().toList().toString();
    return closure.get().status() + (followUps.isEmpty() ? "" : " " + reasons);
  }

  private static Map<String, Integer> counted(Map<TargetSystem, Integer> writes) {
    Map<String, Integer> named = new LinkedHashMap<>();
    writes.forEach((system, count) -> named.put(system.wireName(), count));
    return named;
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

  private static int version(Optional<BookkeepingRecord> record) {
    return record.map(BookkeepingRecord::dispositionVersion).map(v -> (int) v).orElse(-1);
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
