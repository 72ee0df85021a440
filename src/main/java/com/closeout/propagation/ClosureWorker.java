package com.closeout.propagation;

import com.closeout.audit.AuditAction;
import com.closeout.audit.AuditRecord;
import com.closeout.audit.CompletionRecords;
import com.closeout.domain.ClosureKey;
import com.closeout.domain.ClosureStatus;
import com.closeout.domain.EventOutcome;
import com.closeout.domain.FollowUpReason;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.Step;
import com.closeout.domain.StepResult;
import com.closeout.domain.StepStatus;
import com.closeout.domain.TargetSnapshot;
import com.closeout.domain.TargetSystem;
import com.closeout.domain.Verdict;
import com.closeout.followup.FollowUpStore;
import com.closeout.intake.Inbox;
import com.closeout.targets.CoordinatorNotice;
import com.closeout.verification.SourceVerifier;
import com.closeout.verification.VerificationClaim;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works due closures. A batch is what intake leased to this worker as it started it (decision
 * 0023), or else what a claim leases (one statement, one closure per escalation); every batch
 * re-verifies the source record, so a resume after a crash or a retry delay never acts on a record
 * that changed. The batch then moves through the steps in lockstep, a phase of steps at a time
 * ({@link #PHASES}): the targets of a phase are read (concurrently, with an executor), the prior
 * values of every planned write are committed in one transaction together with the previous phase's
 * results and audit entries, and the writes are sent, each closure's in step order. A crash
 * anywhere therefore resumes at the first unfinished step, with the prior values of any write that
 * may have reached a target already durable — and a batch of B closures costs four commits instead
 * of a dozen per closure, three while the worker stays busy: a batch's last group commits with the
 * next batch's first. A closure's verification and its reads of the first phase are one task on the
 * executor, as are its writes of a phase and its reads of the next (nothing commits between them):
 * a batch is handed to the executor's threads five times instead of seven, and a closure reads on
 * as soon as its own writes are done (decision 0021).
 */
public final class ClosureWorker {
  private static final Logger LOG = LoggerFactory.getLogger(ClosureWorker.class);
  private static final Pattern ACTION_CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
  private static final int MAX_ROUNDS = 100_000;

  /** Expired leases are looked for every lease divided by this. */
  static final int LEASE_SWEEP_SHARE = 8;

  /**
   * The steps in the order they run, cut into phases. The steps of a phase write to systems whose
   * state the others' writes do not change, so all of a phase's prior values can be read and made
   * durable before its first write; a closure's writes in a phase still go one after another, in
   * step order, and stop at the first that does not go through. The archive links are written on
   * the tracker and ledger records, so they are read after both syncs; the queue is its own system.
   */
  static final List<List<Step>> PHASES =
      List.of(
          List.of(Step.TRACKER_SYNC, Step.LEDGER_SYNC),
          List.of(Step.ARCHIVE_LINK, Step.QUEUE_CLOSE),
          List.of(Step.COMPLETION_RECORD),
          List.of(Step.COORDINATOR_NOTIFY));

  private final ClosureStore closures;
  private final Inbox inbox;
  private final FollowUpStore followUps;
  private final CompletionRecords completions;
  private final TransactionRunner transactions;
  private final SourceVerifier verifier;
  private final StepExecutor executor;
  private final ClosureAuditor auditor;
  private final FollowUpRaiser raiser;
  private final RetryBackoff backoff;
  private final EngineSettings settings;
  private final Clock clock;
  private final String workerId;
  private final StepCommitListener listener;
  private final String coordinatorName;
  private final Executor parallel;
  private final IntakeHandOff handOff;
  private final AtomicReference<Instant> nextLeaseSweep = new AtomicReference<>(Instant.MIN);

  ClosureWorker(
      CloseoutStores stores,
      SourceVerifier verifier,
      StepExecutor executor,
      ClosureAuditor auditor,
      FollowUpRaiser raiser,
      RetryBackoff backoff,
      EngineSettings settings,
      Clock clock,
      String workerId,
      StepCommitListener listener,
      String coordinatorName,
      Executor parallel,
      IntakeHandOff handOff) {
    this.closures = stores.closures();
    this.inbox = stores.inbox();
    this.followUps = stores.followUps();
    this.completions = stores.completions();
    this.transactions = stores.transactions();
    this.verifier = verifier;
    this.executor = executor;
    this.auditor = auditor;
    this.raiser = raiser;
    this.backoff = backoff;
    this.settings = settings;
    this.clock = clock;
    this.workerId = workerId;
    this.listener = listener;
    this.coordinatorName = coordinatorName;
    this.parallel = parallel;
    this.handOff = handOff;
  }

  /**
   * Works every closure due now until none is; returns how many closures were worked. Each batch is
   * what intake handed over ({@link IntakeHandOff}, decision 0023) or, when nothing was, a claim. A
   * batch's last group (the notices' results and the completions) commits with the next batch's
   * verification, so a worker that is kept busy pays three commits a batch; the claim that finds
   * nothing due commits what is still carried before returning.
   */
  int runDue(ClaimListener claims) {
    sweepExpiredLeases();
    int worked = 0;
    Carry carried = Carry.NONE;
    try {
      for (int round = 0; round < MAX_ROUNDS; round++) {
        claims.claiming();
        // What intake leased to this worker comes first, without a claim; intake leases nothing
        // while a closure is due and waiting, so the claim below still takes those in turn.
        List<ClosureStore.Claimed> batch = handOff.take(settings.batchSize());
        if (batch.isEmpty()) {
          Instant now = clock.instant();
          batch =
              closures.claimDueWithSteps(
                  now, workerId, now.plus(settings.lease()), settings.batchSize());
        }
        // Whoever takes the carried group over clears it first: once in a commit it must never be
        // committed again, whatever happens afterwards.
        Carry carriedIn = carried;
        carried = Carry.NONE;
        if (batch.isEmpty()) {
          commit(carriedIn);
          return worked;
        }
        if (batch.size() == settings.batchSize()) {
          // A full batch: more may be due than this thread takes, so an idle one may help.
          claims.claimedInFull();
        }
        carried = workBatch(batch.stream().map(ClosureRun::new).toList(), carriedIn);
        worked += batch.size();
      }
    } catch (RuntimeException failure) {
      // A claim that failed leaves the last batch's notices sent: their results are worth keeping.
      try {
        commit(carried);
      } catch (RuntimeException alsoFailed) {
        failure.addSuppressed(alsoFailed);
      }
      throw failure;
    }
    commit(carried);
    throw new IllegalStateException("worker did not settle after " + MAX_ROUNDS + " rounds");
  }

  /**
   * Gives back the leases of workers that died, at most once per {@link #LEASE_SWEEP_SHARE} of a
   * lease: a poll that finds nothing due (at low load, most wake-ups) no longer pays a statement
   * and a commit for it, and a dead worker's closures are still taken over within about a lease and
   * an eighth.
   */
  private void sweepExpiredLeases() {
    Instant now = clock.instant();
    Instant due = nextLeaseSweep.get();
    if (!now.isBefore(due)
        && nextLeaseSweep.compareAndSet(
            due, now.plus(settings.lease().dividedBy(LEASE_SWEEP_SHARE)))) {
      closures.releaseExpiredLeases(now);
    }
  }

  /**
   * Verification, then each phase in lockstep. A phase's outcome commits together with the next
   * phase's prior values (a {@link Carry}): the next phase's targets are other systems, so their
   * prior values can be read before the last phase's results commit, and a crash in between leaves
   * what a crash between two commits always left — a step to re-run idempotently. Four groups a
   * batch: verification with the syncs' prior values (and the group {@code carried} from the batch
   * before); the syncs' results with the archive links' and the queue's; theirs with the completion
   * records; the notice with the final status — the last one returned, for the next batch's first
   * commit or the caller to commit.
   */
  private Carry workBatch(List<ClosureRun> runs, Carry carried) {
    // Each closure's task reads the first phase's targets as soon as its verdict says go: the
    // reads come before the verification commit either way, and one hand-off serves both.
    List<Staged<Verdict, PhasePlan>> verified =
        concurrentlyThen(
            runs,
            this::verify,
            (run, verdict) ->
                verdict instanceof Verdict.Proceed && PHASES.get(0).stream().anyMatch(run::needs),
            (run, verdict) -> planPhase(PHASES.get(0), run, ((Verdict.Proceed) verdict).record()),
            run -> latePlan(PHASES.get(0), run),
            run ->
                new Verdict.RetryLater(
                    FollowUpReason.RETRIES_EXHAUSTED,
                    TargetSystem.REVIEW,
                    "verification answered too slowly"));
    List<Verdict> verdicts = verified.stream().map(Staged::first).toList();
    Map<ClosureRun, PhasePlan> planned = new IdentityHashMap<>();
    for (int i = 0; i < runs.size(); i++) {
      if (verified.get(i).then() != null) {
        planned.put(runs.get(i), verified.get(i).then());
      }
    }
    List<ClosureRun> going =
        runs.stream()
            .filter(run -> verdicts.get(runs.indexOf(run)) instanceof Verdict.Proceed)
            .toList();
    going.forEach(run -> run.record = ((Verdict.Proceed) verdicts.get(runs.indexOf(run))).record());
    // The runs of the carried group are not in this batch: it only rides with the first commit.
    Carry carry =
        carried.then(
            "verification",
            runs,
            each(run -> settleVerdict(run, verdicts.get(runs.indexOf(run)))),
            List.of());
    for (int p = 0; p < PHASES.size(); p++) {
      List<Step> phase = PHASES.get(p);
      Carry before = carry;
      List<ClosureRun> due =
          going.stream()
              .filter(before::proceeds)
              .filter(run -> phase.stream().anyMatch(run::needs))
              .toList();
      if (phase.equals(List.of(Step.COMPLETION_RECORD))) {
        // The trail names the entries so far: the carried results are appended first.
        commit(
            carry.then(
                "completion records",
                due,
                completing ->
                    recordCompletions(completing.stream().filter(run -> run.active).toList()),
                phase));
        carry = Carry.NONE;
        continue;
      }
      List<Step> next = p + 1 < PHASES.size() ? PHASES.get(p + 1) : List.of();
      carry = runPhase(phase, due, carry, planned, targetsOnly(next));
    }
    return carry.then(
        "completion",
        going,
        completing -> {
          List<ClosureRun> completed = completing.stream().filter(run -> run.active).toList();
          closures.changeAll(
              completed.stream().map(run -> run.closure).toList(),
              ClosureChange.to(ClosureStatus.COMPLETED, clock.instant()));
          completed.forEach(
              run -> auditor.append(ClosureAuditor.record(run.closure, AuditAction.COMPLETED)));
        },
        List.of());
  }

  /**
   * Work decided but not committed yet: it commits with the next phase's work, in one group.
   *
   * @param proceeds whether a run goes on to the next phase once this commits (its outcome, known
   *     before the commit); runs this carry does not hold go on
   */
  private record Carry(
      String what,
      List<ClosureRun> members,
      Consumer<List<ClosureRun>> work,
      List<StepMembers> steps,
      Predicate<ClosureRun> proceeds) {
    static final Carry NONE = new Carry("", List.of(), runs -> {}, List.of(), run -> true);

    boolean proceeds(ClosureRun run) {
      return !members.contains(run) || proceeds.test(run);
    }

    /**
     * This carry and {@code next}, as one group: this carry's part runs first.
     *
     * @param announced steps whose commit is announced for the runs of {@code next}
     */
    Carry then(
        String nextWhat,
        List<ClosureRun> next,
        Consumer<List<ClosureRun>> nextWork,
        List<Step> announced) {
      return thenAnnouncing(
          nextWhat,
          next,
          nextWork,
          announced.stream().map(step -> new StepMembers(step, next)).toList());
    }

    /** As above, each announced step with the runs it was worked for. */
    Carry thenAnnouncing(
        String nextWhat,
        List<ClosureRun> next,
        Consumer<List<ClosureRun>> nextWork,
        Collection<StepMembers> announced) {
      List<ClosureRun> union = new ArrayList<>(members);
      next.stream().filter(run -> !members.contains(run)).forEach(union::add);
      List<StepMembers> both = new ArrayList<>(steps);
      both.addAll(announced);
      return new Carry(
          what.isEmpty() ? nextWhat : what + " + " + nextWhat,
          union,
          subset -> {
            work.accept(subset.stream().filter(members::contains).toList());
            nextWork.accept(subset.stream().filter(next::contains).toList());
          },
          both,
          run -> true);
    }
  }

  /** A step whose commit is announced to the listener, and the runs it was worked for. */
  private record StepMembers(Step step, List<ClosureRun> runs) {}

  private void commit(Carry carry) {
    group(carry.what(), carry.members(), carry.work(), carry.steps());
  }

  private Verdict verify(ClosureRun run) {
    Closure closure = run.closure;
    return verifier.verify(
        new VerificationClaim(
            closure.key(),
            closure.eventEpisodeId(),
            closure.eventArchiveRefs(),
            closure.requestedActions()));
  }

  /** In the verification group transaction: the guarded status change always comes first. */
  private void settleVerdict(ClosureRun run, Verdict verdict) {
    Closure closure = run.closure;
    if (verdict instanceof Verdict.Proceed proceed) {
      run.record = proceed.record();
      auditor.append(
          ClosureAuditor.record(closure, AuditAction.VERIFIED)
              .target(TargetSystem.REVIEW, proceed.record().escalationId().value())
              .detail("episode " + proceed.record().episodeId()));
      raiseOutOfScopeOnce(closure, proceed.outOfScopeRequests());
      return;
    }
    run.active = false;
    if (verdict instanceof Verdict.Stale stale) {
      closures.change(closure, ClosureChange.to(ClosureStatus.STALE, clock.instant()));
      inbox.settle(closure.eventId().value(), EventOutcome.STALE, closure.id());
      auditor.append(
          ClosureAuditor.record(closure, AuditAction.STALE)
              .detail("version " + stale.completedVersion() + " already completed"));
    } else if (verdict instanceof Verdict.FollowUp followUp) {
      stop(
          closure,
          followUp.reason(),
          followUp.system(),
          followUp.recordVersion(),
          followUp.detail());
    } else if (verdict instanceof Verdict.RetryLater retry) {
      retryLater(closure, retry, false);
    }
  }

  /**
   * One phase for every closure that needs a step of it: plan (read) each needed step; make
   * durable, with the carried outcome of the phase before, every prior value a write of the phase
   * may need and the outcome of a first step already settled by its plan; write. Returns the
   * phase's results, to commit with the next phase.
   *
   * @param planned this phase's plans read in the task before (verification's, or the last phase's
   *     writes'); replaced by the next phase's plans its own writes' tasks read
   * @param next the steps of the next phase that call targets, read right after a closure's writes
   *     all went through; none when the next phase is Closeout's own
   */
  private Carry runPhase(
      List<Step> phase,
      List<ClosureRun> due,
      Carry carry,
      Map<ClosureRun, PhasePlan> planned,
      List<Step> next) {
    // Plans read in the task before (the last phase's writes, or verification) are used; the
    // rest (a closure resumed here, or one whose task missed the deadline) are read now.
    List<ClosureRun> unplanned = due.stream().filter(run -> !planned.containsKey(run)).toList();
    List<PhasePlan> read =
        concurrently(
            unplanned, run -> planPhase(phase, run, run.record), run -> latePlan(phase, run));
    List<PhasePlan> plans =
        due.stream()
            .map(
                run ->
                    planned.containsKey(run) ? planned.get(run) : read.get(unplanned.indexOf(run)))
            .toList();
    // A plan is this phase's or none: what the writes below read is the next phase's.
    planned.clear();
    List<ClosureRun> recording =
        due.stream().filter(run -> plans.get(due.indexOf(run)).hasSomethingToRecord()).toList();
    commit(
        carry.thenAnnouncing(
            phase + " plans",
            recording,
            runs -> {
              List<ClosureRun> writers = new ArrayList<>();
              List<ClosureStore.PriorRecord> priors = new ArrayList<>();
              Map<Step, List<Settlement>> settled = new EnumMap<>(Step.class);
              for (ClosureRun run : runs) {
                PhasePlan plan = plans.get(due.indexOf(run));
                for (Map.Entry<Step, StepPlan.Write> write : plan.priorsToRecord().entrySet()) {
                  writers.add(run);
                  priors.add(
                      new ClosureStore.PriorRecord(
                          run.steps.get(write.getKey()), write.getValue().prior()));
                }
                if (plan.firstSettled() != null) {
                  settled
                      .computeIfAbsent(plan.first(), step -> new ArrayList<>())
                      .add(new Settlement(run, plan.firstSettled()));
                }
              }
              List<StepProgress> recorded = closures.recordPriors(priors);
              for (int i = 0; i < writers.size(); i++) {
                writers.get(i).steps.put(recorded.get(i).step(), recorded.get(i));
              }
              List<Finish> finishes = new ArrayList<>();
              phase.forEach(
                  step -> finishes.addAll(settleAll(step, settled.getOrDefault(step, List.of()))));
              finishAll(finishes);
            },
            phase.stream()
                .map(
                    step ->
                        new StepMembers(
                            step,
                            recording.stream()
                                .filter(
                                    run -> {
                                      PhasePlan plan = plans.get(due.indexOf(run));
                                      return plan.first() == step && plan.firstSettled() != null;
                                    })
                                .toList()))
                .toList()));
    // Only what committed goes on: a run handed back in the group is no longer active.
    List<ClosureRun> writing =
        due.stream()
            .filter(run -> run.active && plans.get(due.indexOf(run)).writesSomething())
            .toList();
    if (writing.isEmpty()) {
      return Carry.NONE;
    }
    // A closure whose writes all went through reads the next phase's targets in the same task:
    // nothing commits between the two, so one hand-off serves both.
    List<Staged<PhaseResults, PhasePlan>> staged =
        concurrentlyThen(
            writing,
            run -> writePhase(plans.get(due.indexOf(run)), run),
            (run, written) -> written.allWentThrough() && next.stream().anyMatch(run::needs),
            (run, written) -> planPhase(next, run, run.record),
            run -> latePlan(next, run),
            run -> PhaseResults.late(plans.get(due.indexOf(run))));
    List<PhaseResults> results = staged.stream().map(Staged::first).toList();
    for (int i = 0; i < writing.size(); i++) {
      if (staged.get(i).then() != null) {
        planned.put(writing.get(i), staged.get(i).then());
      }
    }
    return new Carry(
        phase + " writes",
        writing,
        runs -> {
          List<StepProgress> unwritten = new ArrayList<>();
          List<ClosureRun> unwrittenRuns = new ArrayList<>();
          List<Finish> finishes = new ArrayList<>();
          for (Step step : phase) {
            List<Settlement> settlements = new ArrayList<>();
            for (ClosureRun run : runs) {
              StepResult result = results.get(writing.indexOf(run)).outcomes().get(step);
              if (result != null) {
                settlements.add(new Settlement(run, result));
              }
            }
            finishes.addAll(settleAll(step, settlements));
          }
          finishAll(finishes);
          for (ClosureRun run : runs) {
            for (Step step : results.get(writing.indexOf(run)).neverWritten()) {
              unwrittenRuns.add(run);
              unwritten.add(run.steps.get(step));
            }
          }
          List<StepProgress> forgotten = closures.forgetPriors(unwritten);
          for (int i = 0; i < unwrittenRuns.size(); i++) {
            unwrittenRuns.get(i).steps.put(forgotten.get(i).step(), forgotten.get(i));
          }
        },
        phase.stream()
            .map(
                step ->
                    new StepMembers(
                        step,
                        writing.stream()
                            .filter(
                                run ->
                                    results.get(writing.indexOf(run)).outcomes().containsKey(step))
                            .toList()))
            .toList(),
        run -> results.get(writing.indexOf(run)).allWentThrough());
  }

  /**
   * What a phase will do for one closure: the plan of each step it needs, in step order, and what
   * of them must be durable before the first write.
   *
   * @param first the first step of the phase the closure needs
   * @param plans the plan of each needed step, in step order; planning stops at a step whose plan
   *     does not go on
   */
  private record PhasePlan(Step first, Map<Step, StepPlan> plans) {
    /** The first step's outcome when its plan settled it (done, skipped, a stop or a wait). */
    StepResult firstSettled() {
      return plans.get(first) instanceof StepPlan.Settled settled ? settled.result() : null;
    }

    /**
     * The writes whose prior values are recorded now: every write of the phase that follows only
     * steps that may go through. A step whose plan settled it with a stop or a wait ends the
     * phase's recording there.
     */
    Map<Step, StepPlan.Write> priorsToRecord() {
      Map<Step, StepPlan.Write> recorded = new EnumMap<>(Step.class);
      for (Map.Entry<Step, StepPlan> entry : plans.entrySet()) {
        StepPlan plan = entry.getValue();
        if (plan instanceof StepPlan.Write write) {
          if (!write.prior().isEmpty()) {
            recorded.put(entry.getKey(), write);
          }
        } else if (!goesThrough(((StepPlan.Settled) plan).result())) {
          break;
        }
      }
      return recorded;
    }

    boolean hasSomethingToRecord() {
      return firstSettled() != null || !priorsToRecord().isEmpty();
    }

    /** Whether, once the first step's settled outcome commits, there is anything left to do. */
    boolean writesSomething() {
      StepResult settled = firstSettled();
      if (settled != null && !goesThrough(settled)) {
        return false;
      }
      return plans.size() > 1 || settled == null;
    }
  }

  /**
   * What a phase's writes came to for one closure.
   *
   * @param outcomes each step's outcome to settle now, in step order: written, or settled by its
   *     plan after the steps before it went through (the first step's settled plan committed with
   *     the priors and is not repeated)
   * @param neverWritten steps whose prior values were recorded and that were not written, because a
   *     step before them did not go through
   * @param late the phase deadline passed: its writes may still land, so nothing is forgotten
   */
  private record PhaseResults(
      Map<Step, StepResult> outcomes, List<Step> neverWritten, boolean late) {
    static PhaseResults late(PhasePlan plan) {
      // The first step whose outcome was still to come: a write, or one settled after it.
      Step pending =
          plan.plans().keySet().stream()
              .filter(step -> step != plan.first() || plan.firstSettled() == null)
              .findFirst()
              .orElseThrow();
      return new PhaseResults(Map.of(pending, tooSlow(pending)), List.of(), true);
    }

    boolean allWentThrough() {
      return !late && outcomes.values().stream().allMatch(ClosureWorker::goesThrough);
    }
  }

  private static boolean goesThrough(StepResult result) {
    return result instanceof StepResult.Applied || result instanceof StepResult.AlreadyDone;
  }

  /** Reads for each step of the phase the closure needs, in order, until one will not go on. */
  private PhasePlan planPhase(List<Step> phase, ClosureRun run, SourceRecord record) {
    Map<Step, StepPlan> plans = new EnumMap<>(Step.class);
    Step first = null;
    for (Step step : phase) {
      if (!run.needs(step)) {
        continue;
      }
      first = first == null ? step : first;
      StepPlan plan = plan(step, run, record);
      plans.put(step, plan);
      if (plan instanceof StepPlan.Settled settled && !goesThrough(settled.result())) {
        break;
      }
    }
    return new PhasePlan(first, plans);
  }

  /** A closure's writes of one phase, one after another, until one does not go through. */
  private PhaseResults writePhase(PhasePlan plan, ClosureRun run) {
    Map<Step, StepResult> outcomes = new EnumMap<>(Step.class);
    List<Step> neverWritten = new ArrayList<>();
    Map<Step, StepPlan.Write> recorded = plan.priorsToRecord();
    boolean stopped = false;
    for (Map.Entry<Step, StepPlan> entry : plan.plans().entrySet()) {
      Step step = entry.getKey();
      if (stopped) {
        if (recorded.containsKey(step)) {
          neverWritten.add(step);
        }
        continue;
      }
      StepResult result;
      if (entry.getValue() instanceof StepPlan.Write write) {
        result = executor.write(step, write, run.closure.key(), run.record);
      } else if (step == plan.first()) {
        // Settled with the prior values: committed already.
        continue;
      } else {
        result = ((StepPlan.Settled) entry.getValue()).result();
      }
      outcomes.put(step, result);
      stopped = !goesThrough(result);
    }
    return new PhaseResults(outcomes, neverWritten, false);
  }

  private record Settlement(ClosureRun run, StepResult result) {}

  /** A finished step to write, and the run whose progress it updates. */
  private record Finish(ClosureRun run, ClosureStore.StepFinish finish) {}

  /**
   * In a step's group transaction: records what each closure's step came to. A stop or a retry is a
   * guarded change of that closure alone, made now; the finished steps are returned, for {@link
   * #finishAll} to write with the group's other steps in one statement.
   */
  private List<Finish> settleAll(Step step, List<Settlement> settlements) {
    List<Finish> finishes = new ArrayList<>();
    for (Settlement settlement : settlements) {
      ClosureRun run = settlement.run();
      StepResult result = settlement.result();
      StepProgress progress = run.steps.get(step);
      if (result instanceof StepResult.Applied applied) {
        finishes.add(
            new Finish(
                run, new ClosureStore.StepFinish(progress, StepStatus.DONE, applied.written())));
        for (TargetSnapshot snapshot : applied.written()) {
          AuditRecord entry =
              ClosureAuditor.record(run.closure, AuditAction.STEP_DONE)
                  .target(snapshot.system(), snapshot.recordId())
                  .detail(describe(step, snapshot));
          auditor.append(
              snapshot.system() == TargetSystem.NOTIFICATION
                  ? entry.notified(coordinatorName)
                  : entry);
        }
        run.progressed = true;
      } else if (result instanceof StepResult.AlreadyDone done) {
        finishes.add(
            new Finish(
                run,
                new ClosureStore.StepFinish(progress, StepStatus.SKIPPED_ALREADY_DONE, List.of())));
        auditor.append(
            ClosureAuditor.record(run.closure, AuditAction.STEP_SKIPPED)
                .target(done.system(), done.targetRecordId())
                .skipped()
                .detail(step.name()));
        run.progressed = true;
      } else {
        settle(step, run, result);
      }
    }
    return finishes;
  }

  /** Writes a group's finished steps, of every step kind, in one statement. */
  private void finishAll(List<Finish> finishes) {
    List<StepProgress> finished =
        closures.finishSteps(finishes.stream().map(Finish::finish).toList(), clock.instant());
    for (int i = 0; i < finishes.size(); i++) {
      finishes.get(i).run().steps.put(finished.get(i).step(), finished.get(i));
    }
  }

  private StepPlan plan(Step step, ClosureRun run, SourceRecord record) {
    boolean attempted = !run.steps.get(step).prior().isEmpty();
    CoordinatorNotice notice =
        step == Step.COORDINATOR_NOTIFY
            ? new CoordinatorNotice(
                CoordinatorNotice.Kind.CLOSURE_PROPAGATION_COMPLETE,
                run.closure.key().escalationId(),
                run.closure.key().dispositionVersion(),
                targetsUpdated(run))
            : null;
    return executor.plan(step, run.closure.key(), record, attempted, notice);
  }

  /** In a step's group transaction: a closure whose step cannot finish now stops or waits. */
  private void settle(Step step, ClosureRun run, StepResult result) {
    Closure closure = run.closure;
    if (result instanceof StepResult.Conflict conflict) {
      run.active = false;
      stop(
          closure,
          FollowUpReason.TARGET_CONFLICT,
          conflict.system(),
          run.record.dispositionVersion(),
          step + " on " + conflict.targetRecordId() + ": " + conflict.detail());
    } else if (result instanceof StepResult.Unavailable unavailable) {
      run.active = false;
      retryLater(
          closure,
          new Verdict.RetryLater(
              FollowUpReason.RETRIES_EXHAUSTED,
              unavailable.system(),
              unavailable.detail(),
              unavailable.retryAfter()),
          run.progressed);
    } else {
      throw new IllegalArgumentException("finished steps are settled in a batch: " + result);
    }
  }

  /**
   * The completion trace lives in Closeout's own store: written, marked done and audited in the
   * same transaction, so a crash cannot separate them. The trail names the closure's audit entries
   * so far by entry id: those committed before this transaction, chained or not, and those it
   * appended (the source event through the queue close); an entry another process appends for the
   * same version in between (a redelivery's DUPLICATE) is in the chain, not in the trail. One
   * statement reads the trails and appends, one inserts the records, for the whole group.
   */
  private void recordCompletions(List<ClosureRun> runs) {
    Instant now = clock.instant();
    Map<ClosureKey, List<Long>> trails =
        auditor.flushIntoTrails(runs.stream().map(run -> run.closure.key()).toList());
    List<Boolean> written =
        completions.insertAll(
            runs.stream()
                .map(
                    run ->
                        new CompletionRecords.CompletionRecord(
                            run.closure.id(),
                            run.closure.key(),
                            run.closure.eventId().value(),
                            trails.get(run.closure.key()),
                            now))
                .toList());
    List<ClosureStore.StepFinish> finishes = new ArrayList<>(runs.size());
    for (int i = 0; i < runs.size(); i++) {
      finishes.add(
          new ClosureStore.StepFinish(
              runs.get(i).steps.get(Step.COMPLETION_RECORD),
              written.get(i) ? StepStatus.DONE : StepStatus.SKIPPED_ALREADY_DONE,
              List.of()));
    }
    List<StepProgress> finished = closures.finishSteps(finishes, now);
    for (int i = 0; i < runs.size(); i++) {
      ClosureRun run = runs.get(i);
      Closure closure = run.closure;
      run.steps.put(Step.COMPLETION_RECORD, finished.get(i));
      AuditRecord entry =
          ClosureAuditor.record(
                  closure, written.get(i) ? AuditAction.STEP_DONE : AuditAction.STEP_SKIPPED)
              .target(TargetSystem.AUDIT, "completion-record:" + closure.id())
              .detail(Step.COMPLETION_RECORD.name());
      auditor.append(written.get(i) ? entry : entry.skipped());
      run.progressed = true;
    }
  }

  private List<TargetSystem> targetsUpdated(ClosureRun run) {
    Set<TargetSystem> systems = new LinkedHashSet<>();
    for (StepProgress step : run.steps.values()) {
      if (step.status() == StepStatus.DONE) {
        for (TargetSnapshot written : step.written()) {
          if (written.system() != TargetSystem.NOTIFICATION) {
            systems.add(written.system());
          }
        }
      }
    }
    return List.copyOf(systems);
  }

  private void stop(
      Closure closure,
      FollowUpReason reason,
      TargetSystem system,
      Integer recordVersion,
      String detail) {
    closures.change(
        closure,
        ClosureChange.to(ClosureStatus.FOLLOW_UP, clock.instant()).withLastError(reason.name()));
    raiser.raise(closure, reason, system, recordVersion, detail);
  }

  private void retryLater(Closure closure, Verdict.RetryLater retry, boolean progressed) {
    Instant now = clock.instant();
    if (retry.whenExhausted() == FollowUpReason.SOURCE_BEHIND) {
      int reads = closure.sourceBehindReads() + 1;
      if (reads > settings.sourceBehindReads()) {
        stop(closure, FollowUpReason.SOURCE_BEHIND, retry.system(), null, retry.detail());
        return;
      }
      Duration delay = backoff.delay(settings.sourceBehindBackoff(), settings.maxBackoff(), reads);
      schedule(
          closure,
          ClosureChange.to(ClosureStatus.PENDING, now)
              .withSourceBehindReads(reads)
              .dueAt(now.plus(delay))
              .withLastError(retry.detail()),
          retry);
      return;
    }
    int attempts = progressed ? 1 : closure.attempts() + 1;
    if (attempts >= settings.maxAttempts()) {
      stop(
          closure,
          FollowUpReason.RETRIES_EXHAUSTED,
          retry.system(),
          null,
          attempts + " attempts: " + retry.detail());
      return;
    }
    Duration delay = backoff.delay(settings.initialBackoff(), settings.maxBackoff(), attempts);
    if (retry.retryAfter() != null && retry.retryAfter().compareTo(delay) > 0) {
      // The target said when to come back (Retry-After, an open breaker): never sooner.
      delay = retry.retryAfter();
    }
    schedule(
        closure,
        ClosureChange.to(ClosureStatus.PENDING, now)
            .withAttempts(attempts)
            .dueAt(now.plus(delay))
            .withLastError(retry.detail()),
        retry);
  }

  private void schedule(Closure closure, ClosureChange change, Verdict.RetryLater retry) {
    closures.change(closure, change);
    auditor.append(
        ClosureAuditor.record(closure, AuditAction.RETRY_SCHEDULED)
            .target(retry.system(), null)
            .detail(retry.detail() + "; next at " + change.nextAttemptAt()));
  }

  private static String describe(Step step, TargetSnapshot snapshot) {
    return switch (step) {
      case ARCHIVE_LINK -> step.name() + " links " + String.join(", ", snapshot.archiveUris());
      case TRACKER_SYNC, LEDGER_SYNC ->
          step.name() + " " + snapshot.status() + " v" + snapshot.dispositionVersion();
      default -> step.name();
    };
  }

  private void raiseOutOfScopeOnce(Closure closure, List<String> requested) {
    if (requested.isEmpty()) {
      return;
    }
    boolean raisedBefore =
        followUps.forClosure(closure.id()).stream()
            .anyMatch(f -> f.reason() == FollowUpReason.OUT_OF_SCOPE_REQUEST);
    if (raisedBefore) {
      return;
    }
    // Only action codes are named; anything else is counted, never echoed.
    List<String> codes = requested.stream().filter(a -> ACTION_CODE.matcher(a).matches()).toList();
    int other = requested.size() - codes.size();
    String detail =
        "requested and not done: "
            + String.join(", ", codes)
            + (other > 0 ? (codes.isEmpty() ? "" : "; ") + other + " unrecognised" : "");
    raiser.raise(closure, FollowUpReason.OUT_OF_SCOPE_REQUEST, null, null, detail);
  }

  /**
   * Applies {@code work} to the runs in one transaction, then tells the listener, for each of
   * {@code steps}, which of its runs finished it. If the group transaction fails, nothing of it
   * committed: each run is reset to what the store holds and tried alone, so one bad closure never
   * holds up the rest of its batch; a run that fails alone is handed back for a later attempt.
   */
  private void group(
      String what,
      List<ClosureRun> members,
      Consumer<List<ClosureRun>> work,
      List<StepMembers> steps) {
    if (members.isEmpty()) {
      return;
    }
    try {
      transactions.inTransaction(() -> auditor.batched(() -> work.accept(members)));
    } catch (RuntimeException groupFailure) {
      LOG.warn("{} of {} closures failed together; trying one by one", what, members.size());
      for (ClosureRun run : members) {
        run.active = true;
        run.steps(closures.steps(run.closure.id()));
        try {
          transactions.inTransaction(() -> auditor.batched(() -> work.accept(List.of(run))));
        } catch (ConcurrentClosureChangeException e) {
          // Someone else moved this closure (its lease ran out and was taken over): theirs now.
          run.active = false;
          LOG.warn("closure {} changed under this worker; left alone", run.closure.key());
        } catch (RuntimeException e) {
          run.active = false;
          LOG.error("closure {} failed in {}; handed back", run.closure.key(), what, e);
          giveBack(run.closure, e);
        }
      }
    }
    for (StepMembers committed : steps) {
      for (ClosureRun run : committed.runs()) {
        StepProgress progress = run.steps.get(committed.step());
        if (progress != null && progress.status().isFinished()) {
          listener.stepCommitted(run.closure.key(), committed.step());
        }
      }
    }
  }

  /** A group's work done one run at a time. */
  private static Consumer<List<ClosureRun>> each(Consumer<ClosureRun> work) {
    return runs -> runs.forEach(work);
  }

  /** The steps of {@code phase} that call targets: the completion record is Closeout's own. */
  private static List<Step> targetsOnly(List<Step> phase) {
    return phase.equals(List.of(Step.COMPLETION_RECORD)) ? List.of() : phase;
  }

  /** A phase's plan for a closure whose reads missed the deadline: its first step waits. */
  private static PhasePlan latePlan(List<Step> phase, ClosureRun run) {
    Step first = phase.stream().filter(run::needs).findFirst().orElseThrow();
    return new PhasePlan(first, Map.of(first, new StepPlan.Settled(tooSlow(first))));
  }

  /** What a closure's task came to: its first part, and its second (null when none was wanted). */
  private record Staged<A, B>(A first, B then) {}

  /**
   * As {@link #concurrently}, each run's task in two parts, one hand-off for both: {@code then}
   * runs right after {@code first} when {@code wanted} says so. A run whose task misses the
   * deadline gets {@code late} if its first part was not done; if it was, it keeps it, and gets
   * {@code lateThen} for the second when that was wanted — as if the two had been two rounds, each
   * with its deadline, so a slow target still holds the batch for one deadline at most.
   */
  private <A, B> List<Staged<A, B>> concurrentlyThen(
      List<ClosureRun> runs,
      Function<ClosureRun, A> first,
      BiPredicate<ClosureRun, A> wanted,
      BiFunction<ClosureRun, A, B> then,
      Function<ClosureRun, B> lateThen,
      Function<ClosureRun, A> late) {
    AtomicReferenceArray<A> firstDone = new AtomicReferenceArray<>(runs.size());
    return concurrently(
        runs,
        run -> {
          A a = first.apply(run);
          firstDone.set(runs.indexOf(run), a);
          return new Staged<>(a, wanted.test(run, a) ? then.apply(run, a) : null);
        },
        run -> {
          A a = firstDone.get(runs.indexOf(run));
          if (a == null) {
            return new Staged<>(late.apply(run), null);
          }
          return new Staged<>(a, wanted.test(run, a) ? lateThen.apply(run) : null);
        });
  }

  /**
   * Runs {@code task} for every run, concurrently when there is an executor; results in order. A
   * run whose task has not answered by the phase deadline gets {@code late} instead: it leaves the
   * batch to retry later, and the rest go on (its call, still running, changes nothing in the
   * store, and whatever it writes to a target is idempotent and has its prior values recorded).
   */
  private <T> List<T> concurrently(
      List<ClosureRun> runs, Function<ClosureRun, T> task, Function<ClosureRun, T> late) {
    if (parallel == null || runs.size() == 1) {
      return runs.stream().map(task).toList();
    }
    List<CompletableFuture<T>> futures =
        runs.stream()
            .map(run -> CompletableFuture.supplyAsync(() -> task.apply(run), parallel))
            .toList();
    try {
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
          .get(settings.phaseDeadline().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // Some are late: they are settled below, the others go on.
    } catch (ExecutionException e) {
      // A task failed: join() below rethrows its failure.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for target calls", e);
    }
    List<T> results = new ArrayList<>(runs.size());
    for (int i = 0; i < runs.size(); i++) {
      CompletableFuture<T> future = futures.get(i);
      if (future.isDone()) {
        try {
          results.add(future.join());
        } catch (CompletionException e) {
          if (e.getCause() instanceof RuntimeException failure) {
            throw failure;
          }
          throw e;
        }
      } else {
        LOG.warn(
            "closure {} missed the phase deadline; it retries later", runs.get(i).closure.key());
        results.add(late.apply(runs.get(i)));
      }
    }
    return results;
  }

  private static StepResult.Unavailable tooSlow(Step step) {
    TargetSystem system = step.target() == null ? TargetSystem.TRACKER : step.target();
    return new StepResult.Unavailable(system, step + " answered too slowly");
  }

  /** After an unexpected failure, hand the closure back for a later attempt. */
  private void giveBack(Closure closure, RuntimeException cause) {
    try {
      Closure current = closures.find(closure.id()).orElse(closure);
      if (current.status() == ClosureStatus.RUNNING && workerId.equals(current.leaseOwner())) {
        transactions.inTransaction(
            () ->
                retryLater(
                    current,
                    new Verdict.RetryLater(
                        FollowUpReason.RETRIES_EXHAUSTED,
                        TargetSystem.AUDIT,
                        "internal error " + cause.getClass().getSimpleName()),
                    false));
      }
    } catch (RuntimeException again) {
      LOG.error("could not hand back {}; its lease will expire", closure.key(), again);
    }
  }
}
