package com.closeout.evaluation;

import com.closeout.audit.AuditEntry;
import com.closeout.domain.ClosureKey;
import com.closeout.domain.ClosureStatus;
import com.closeout.domain.EscalationId;
import com.closeout.domain.Step;
import com.closeout.followup.FollowUp;
import com.closeout.followup.FollowUpStatus;
import com.closeout.followup.ResolutionOutcome;
import com.closeout.intake.InboxEntry;
import com.closeout.intake.ParsedEvent;
import com.closeout.intake.format.CloudEventJsonReader;
import com.closeout.propagation.CloseoutEngine;
import com.closeout.propagation.CloseoutStores;
import com.closeout.propagation.Closure;
import com.closeout.propagation.EngineSettings;
import com.closeout.propagation.StepCommitListener;
import com.closeout.propagation.jdbc.IsolatedSchema;
import com.closeout.propagation.jdbc.JdbcCloseoutStores;
import com.closeout.propagation.jdbc.StoreSchemas;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.QueueItem;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Runs a scenario (SPEC §7) against the sandbox systems and a throw-away store schema, on a
 * simulated clock, and reports what came out (SPEC §7.2).
 *
 * <p>The engine is the production one, built exactly as the service builds it; only its ports are
 * the sandbox's and its clock is simulated. A {@code crash} step kills the worker with an {@link
 * Error} thrown from the step-commit listener, which no engine code catches, right after the named
 * step committed; the runner then starts a fresh engine on the same store and sandbox, as a
 * restarted instance would.
 */
public final class ScenarioRunner {
  /** When no event carries a time, the clock starts here. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  static final String WORKER_ID = "scenario-worker";
  private static final int MAX_RUN_ITERATIONS = 10_000;
  private static final Duration IDLE_NUDGE = Duration.ofSeconds(1);

  private final EngineSettings settings;

  public ScenarioRunner() {
    this(EngineSettings.defaults());
  }

  public ScenarioRunner(EngineSettings settings) {
    this.settings = settings;
  }

  public ScenarioResult run(Scenario scenario, DataSource base) {
    try (IsolatedSchema schema = StoreSchemas.isolated(base, "scn");
        CapturedLogs logs = CapturedLogs.attach()) {
      Run run = new Run(scenario, schema, logs);
      return run.execute();
    }
  }

  /** Killed the worker at a step boundary; an Error so no engine catch of Exception stops it. */
  private static final class WorkerKilled extends Error {
    WorkerKilled(Step step) {
      super("scenario crash after " + step, null, false, false);
    }
  }

  /** Kills the worker once per armed step, the next time that step commits. */
  private static final class CrashSwitch implements StepCommitListener {
    private final List<Step> armed = new ArrayList<>();

    synchronized void arm(Step step) {
      armed.add(step);
    }

    @Override
    public void stepCommitted(ClosureKey key, Step step) {
      synchronized (this) {
        if (!armed.remove(step)) {
          return;
        }
      }
      throw new WorkerKilled(step);
    }
  }

  /** The state of one run. */
  private final class Run {
    private final Scenario scenario;
    private final IsolatedSchema schema;
    private final CapturedLogs logs;
    private final CloseoutStores stores;
    private final SandboxSystems sandbox = new SandboxSystems();
    private final SimulatedClock clock;
    private final CrashSwitch crashes = new CrashSwitch();
    private final SplittableRandom jitter;
    private final CloudEventJsonReader reader = new CloudEventJsonReader();
    private final Map<String, Boolean> deliveredIds = new LinkedHashMap<>();
    private final Set<String> escalationsNamed = new LinkedHashSet<>();
    private final List<String> problems = new ArrayList<>();
    private CloseoutEngine engine;
    private int rejectedWithoutId;

    Run(Scenario scenario, IsolatedSchema schema, CapturedLogs logs) {
      this.scenario = scenario;
      this.schema = schema;
      this.logs = logs;
      this.stores = JdbcCloseoutStores.create(schema.dataSource());
      this.clock = new SimulatedClock(startOf(scenario));
      this.jitter = new SplittableRandom(scenario.seed());
      this.engine = newEngine();
    }

    private CloseoutEngine newEngine() {
      CloseoutEngine engine =
          new CloseoutEngine(sandbox.ports(), stores, clock, settings, WORKER_ID, crashes, jitter);
      // The runner works what it takes in, as a serving instance's worker does (decision 0023).
      engine.openIntakeHandOff();
      return engine;
    }

    ScenarioResult execute() {
      ScenarioSystems systems = scenario.systems();
      systems.review().forEach(seed -> sandbox.putReview(seed.record(), seed.restricted()));
      systems.tracker().forEach(sandbox::putTracker);
      systems.ledger().forEach(sandbox::putLedger);
      systems.queue().forEach(sandbox::putQueueItem);
      systems.archive().forEach(sandbox::putArchiveObject);
      systems.review().forEach(seed -> name(seed.record().escalationId().value()));
      systems.tracker().forEach(r -> name(r.escalationId().value()));
      systems.ledger().forEach(r -> name(r.escalationId().value()));
      systems.queue().forEach(i -> name(i.escalationId().value()));

      for (ScenarioStep step : scenario.steps()) {
        apply(step);
      }
      runUntilIdle();
      return report();
    }

    private void name(String escalationId) {
      if (escalationId != null) {
        escalationsNamed.add(escalationId);
      }
    }

    private void apply(ScenarioStep step) {
      if (step instanceof ScenarioStep.Deliver deliver) {
        deliver(deliver);
      } else if (step instanceof ScenarioStep.ReplaceReview review) {
        sandbox.putReview(review.record().record(), review.record().restricted());
        name(review.record().record().escalationId().value());
      } else if (step instanceof ScenarioStep.ReplaceTracker tracker) {
        sandbox.putTracker(tracker.record());
        name(tracker.record().escalationId().value());
      } else if (step instanceof ScenarioStep.ReplaceLedger ledger) {
        sandbox.putLedger(ledger.record());
        name(ledger.record().escalationId().value());
      } else if (step instanceof ScenarioStep.ReplaceQueueItem queue) {
        sandbox.putQueueItem(queue.item());
        name(queue.item().escalationId().value());
      } else if (step instanceof ScenarioStep.ReplaceArchiveObject archive) {
        sandbox.putArchiveObject(archive.object());
      } else if (step instanceof ScenarioStep.Fault fault) {
        sandbox.injectFault(fault.system(), fault.kind(), fault.failures());
      } else if (step instanceof ScenarioStep.Crash crash) {
        crashes.arm(crash.afterStep());
      } else if (step instanceof ScenarioStep.Run) {
        runUntilIdle();
      } else if (step instanceof ScenarioStep.Revert revert) {
        guarded(
            () ->
                engine.revert(
                    new EscalationId(revert.escalationId()), revert.dispositionVersion()));
        drainNow();
      } else if (step instanceof ScenarioStep.Resolve resolve) {
        resolve(resolve);
      } else {
        throw new IllegalArgumentException("unknown step " + step);
      }
    }

    private void deliver(ScenarioStep.Deliver deliver) {
      name(deliver.escalationId());
      ParsedEvent parsed = reader.read(deliver.json());
      if (parsed instanceof ParsedEvent.Valid valid) {
        String id = valid.event().id().value();
        deliveredIds.putIfAbsent(id, Boolean.TRUE);
        guarded(() -> engine.receive(valid.event()));
        drainNow();
      } else {
        // A malformed delivery never reaches the engine; it is reported REJECTED.
        String id =
            deliver.eventId() != null ? deliver.eventId() : "rejected-" + (++rejectedWithoutId);
        deliveredIds.putIfAbsent(id, Boolean.FALSE);
      }
    }

    private void resolve(ScenarioStep.Resolve resolve) {
      EscalationId escalation = new EscalationId(resolve.escalationId());
      Optional<FollowUp> open =
          stores.closures().forEscalation(escalation).stream()
              .flatMap(c -> stores.followUps().forClosure(c.id()).stream())
              .filter(f -> f.status() == FollowUpStatus.OPEN && f.reason() == resolve.reason())
              .max(Comparator.comparingLong(FollowUp::id));
      if (open.isEmpty()) {
        problems.add(
            "resolve: no open " + resolve.reason() + " follow-up for " + resolve.escalationId());
        return;
      }
      ResolutionOutcome outcome =
          guarded(
              () -> engine.resolveFollowUp(open.get().id(), resolve.action(), resolve.comment()));
      if (outcome instanceof ResolutionOutcome.Refused refused) {
        problems.add("resolve " + resolve.reason() + " refused: " + refused.why());
      }
      drainNow();
    }

    /** The worker handles what is due now, as far as it gets without waiting for a delay. */
    private void drainNow() {
      guarded(() -> engine.runDue());
    }

    private void runUntilIdle() {
      for (int i = 0; i < MAX_RUN_ITERATIONS; i++) {
        Integer worked = guarded(() -> engine.runDue());
        Optional<Instant> next = engine.nextDueAt();
        if (next.isEmpty()) {
          return;
        }
        if (next.get().isAfter(clock.instant())) {
          clock.advanceTo(next.get());
        } else if (worked != null && worked == 0) {
          // Due but not claimable now (another closure of the escalation holds the lease):
          // let time pass so a lease can run out.
          clock.advanceTo(clock.instant().plus(IDLE_NUDGE));
        }
      }
      throw new IllegalStateException(
          "scenario "
              + scenario.name()
              + " did not settle within "
              + MAX_RUN_ITERATIONS
              + " worker runs");
    }

    /**
     * Calls the engine; when the worker is killed, starts a fresh one on the same store, as a
     * restarted instance would, and lets it resume what is due (it may be killed again).
     */
    private <T> T guarded(java.util.function.Supplier<T> call) {
      try {
        return call.get();
      } catch (WorkerKilled killed) {
        while (true) {
          engine = newEngine();
          try {
            engine.recoverAfterRestart();
            engine.runDue();
            return null;
          } catch (WorkerKilled again) {
            // Another armed crash fired during the resume: restart once more.
          }
        }
      }
    }

    // ---- the report ---------------------------------------------------------------------------

    private ScenarioResult report() {
      Map<String, String> events = new LinkedHashMap<>();
      for (String id : deliveredIds.keySet()) {
        events.put(id, eventOutcome(id));
      }
      Map<String, EscalationReport> escalations = new TreeMap<>();
      Set<String> ids = new TreeSet<>(escalationsNamed);
      ids.addAll(scenario.expect().keySet());
      for (String id : ids) {
        escalations.put(id, escalation(new EscalationId(id)));
      }
      // The run is over: whatever the engine appended is committed, so all of it can be chained.
      stores.audit().chainAllPending();
      long auditEntries = stores.audit().count();
      boolean chainValid = stores.audit().verify().isEmpty();
      long leaks = restrictedLeaks();
      List<String> mismatches = new ArrayList<>(problems);
      mismatches.addAll(ExpectationCheck.mismatches(scenario, events, escalations));
      return new ScenarioResult(
          scenario.name(),
          mismatches.isEmpty(),
          events,
          escalations,
          auditEntries,
          chainValid,
          leaks,
          mismatches);
    }

    private String eventOutcome(String eventId) {
      Optional<InboxEntry> entry = stores.inbox().find(eventId);
      if (entry.isEmpty()) {
        return "REJECTED";
      }
      InboxEntry accepted = entry.get();
      if (accepted.outcome() == com.closeout.domain.EventOutcome.CLOSURE_STARTED) {
        if (accepted.closureId() == null) {
          return "IN_PROGRESS";
        }
        return stores
            .closures()
            .find(accepted.closureId())
            .map(c -> outcomeOf(c.status()))
            .orElse("IN_PROGRESS");
      }
      return accepted.outcome().name();
    }

    private EscalationReport escalation(EscalationId id) {
      Optional<Closure> newest =
          stores.closures().forEscalation(id).stream()
              .filter(c -> c.status() != ClosureStatus.STALE)
              .max(Comparator.comparingInt(c -> c.key().dispositionVersion()));
      String outcome = newest.map(c -> outcomeOf(c.status())).orElse("NONE");
      List<String> reasons =
          newest
              .map(
                  c ->
                      stores.followUps().forClosure(c.id()).stream()
                          .map(f -> f.reason().name())
                          .distinct()
                          .sorted()
                          .toList())
              .orElse(List.of());
      Map<String, Integer> writes = new LinkedHashMap<>();
      sandbox.writes(id).forEach((system, count) -> writes.put(system.wireName(), count));
      return new EscalationReport(
          outcome,
          reasons,
          sandbox.tracker(id).map(Run::state).orElse(null),
          sandbox.ledger(id).map(Run::state).orElse(null),
          sandbox.queueItem(id).map(Run::state).orElse(null),
          sandbox.notices(id).size(),
          writes);
    }

    private static EscalationReport.TargetState state(BookkeepingRecord record) {
      return new EscalationReport.TargetState(
          record.status(), record.dispositionVersion(), record.closedAt(), record.archiveRefs());
    }

    private static EscalationReport.QueueState state(QueueItem item) {
      return new EscalationReport.QueueState(item.status(), item.closedAt());
    }

    /**
     * Occurrences of restricted values outside the review system: targets and notices, every audit
     * entry and follow-up (all fields), every other row of the store, and the logs.
     */
    private long restrictedLeaks() {
      List<String> texts = new ArrayList<>();
      long total = stores.audit().count();
      for (long from = 1; from <= total; from += 1_000) {
        stores.audit().entries(from, 1_000).stream().map(AuditEntry::toString).forEach(texts::add);
      }
      stores.followUps().all(false).stream().map(FollowUp::toString).forEach(texts::add);
      texts.addAll(otherStoreRows());
      texts.addAll(logs.lines());
      return sandbox.restrictedLeaksInTargets() + sandbox.countRestrictedOccurrences(texts);
    }

    /** Every column of every row of the run's schema, except the tables read through ports. */
    private List<String> otherStoreRows() {
      return StoreRows.texts(
          schema.dataSource(), schema.name(), List.of("audit_entries", "follow_ups"));
    }
  }

  /** The report's name for a closure's state (SPEC §7.2), our extra states by their own name. */
  static String outcomeOf(ClosureStatus status) {
    return switch (status) {
      case PENDING, RUNNING -> "IN_PROGRESS";
      default -> status.name();
    };
  }

  /** The earliest event time of the scenario, else {@link #DEFAULT_START}. */
  static Instant startOf(Scenario scenario) {
    Instant start = null;
    for (ScenarioStep step : scenario.steps()) {
      if (step instanceof ScenarioStep.Deliver deliver) {
        Optional<Instant> time = eventTime(deliver.json());
        if (time.isPresent() && (start == null || time.get().isBefore(start))) {
          start = time.get();
        }
      }
    }
    return start == null ? DEFAULT_START : start;
  }

  private static Optional<Instant> eventTime(byte[] json) {
    try {
      tools.jackson.databind.JsonNode node =
          tools.jackson.databind.json.JsonMapper.builder().build().readTree(json);
      tools.jackson.databind.JsonNode time = node == null ? null : node.get("time");
      if (time == null || !time.isString()) {
        return Optional.empty();
      }
      return Optional.of(OffsetDateTime.parse(time.stringValue()).toInstant());
    } catch (tools.jackson.core.JacksonException | DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
