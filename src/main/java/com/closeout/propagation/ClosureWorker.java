package com.closeout.propagation;

import com.closeout.audit.AuditAction;
import com.closeout.audit.AuditEntry;
import com.closeout.audit.AuditRecord;
import com.closeout.audit.AuditTrail;
import com.closeout.audit.CompletionRecords;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works due closures: claim (a lease, one closure per escalation at a time), re-verify the source
 * record, then run the steps from the first unfinished one. Each step's progress and its audit
 * entry commit together, so a crash anywhere resumes at the first unfinished step; every claim
 * re-verifies, so a resume after a crash or a retry delay never acts on a record that changed.
 */
public final class ClosureWorker {
  private static final Logger LOG = LoggerFactory.getLogger(ClosureWorker.class);
  private static final Pattern ACTION_CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
  private static final int MAX_ROUNDS = 100_000;

  private final ClosureStore closures;
  private final Inbox inbox;
  private final FollowUpStore followUps;
  private final CompletionRecords completions;
  private final AuditTrail audit;
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
      Executor parallel) {
    this.closures = stores.closures();
    this.inbox = stores.inbox();
    this.followUps = stores.followUps();
    this.completions = stores.completions();
    this.audit = stores.audit();
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
  }

  /**
   * Works every closure due now until none is; returns how many claims were worked. Claims come in
   * batches (one statement); with an executor, a batch's closures overlap their target I/O.
   */
  int runDue() {
    closures.releaseExpiredLeases(clock.instant());
    int worked = 0;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Instant now = clock.instant();
      List<Closure> batch =
          closures.claimDue(now, workerId, now.plus(settings.lease()), settings.batchSize());
      if (batch.isEmpty()) {
        return worked;
      }
      workAll(batch);
      worked += batch.size();
    }
    throw new IllegalStateException("worker did not settle after " + MAX_ROUNDS + " rounds");
  }

  private void workAll(List<Closure> batch) {
    if (parallel == null || batch.size() == 1) {
      batch.forEach(this::work);
      return;
    }
    CompletableFuture<?>[] running =
        batch.stream()
            .map(closure -> CompletableFuture.runAsync(() -> work(closure), parallel))
            .toArray(CompletableFuture[]::new);
    CompletableFuture.allOf(running).join();
  }

  private void work(Closure closure) {
    try {
      Verdict verdict =
          verifier.verify(
              new VerificationClaim(
                  closure.key(),
                  closure.eventEpisodeId(),
                  closure.eventArchiveRefs(),
                  closure.requestedActions()));
      if (verdict instanceof Verdict.Stale stale) {
        markStale(closure, stale);
      } else if (verdict instanceof Verdict.FollowUp followUp) {
        stop(
            closure,
            followUp.reason(),
            followUp.system(),
            followUp.recordVersion(),
            followUp.detail());
      } else if (verdict instanceof Verdict.RetryLater retry) {
        retryLater(closure, retry, false);
      } else if (verdict instanceof Verdict.Proceed proceed) {
        propagate(closure, proceed);
      }
    } catch (ConcurrentClosureChangeException e) {
      // Someone else moved this closure (its lease ran out and was taken over): let them have it.
      LOG.warn("closure " + closure.key() + " changed under this worker; left alone");
    } catch (RuntimeException e) {
      LOG.error("closure " + closure.key() + " failed unexpectedly; will retry", e);
      giveBack(closure, e);
    }
  }

  private void markStale(Closure closure, Verdict.Stale stale) {
    transactions.inTransaction(
        () -> {
          closures.change(closure, ClosureChange.to(ClosureStatus.STALE, clock.instant()));
          inbox.settle(closure.eventId().value(), EventOutcome.STALE, closure.id());
          auditor.append(
              ClosureAuditor.record(closure, AuditAction.STALE)
                  .detail("version " + stale.completedVersion() + " already completed"));
        });
  }

  private void stop(
      Closure closure,
      FollowUpReason reason,
      TargetSystem system,
      Integer recordVersion,
      String detail) {
    transactions.inTransaction(
        () -> {
          raiser.raise(closure, reason, system, recordVersion, detail);
          closures.change(
              closure,
              ClosureChange.to(ClosureStatus.FOLLOW_UP, clock.instant())
                  .withLastError(reason.name()));
        });
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
    schedule(
        closure,
        ClosureChange.to(ClosureStatus.PENDING, now)
            .withAttempts(attempts)
            .dueAt(now.plus(delay))
            .withLastError(retry.detail()),
        retry);
  }

  private void schedule(Closure closure, ClosureChange change, Verdict.RetryLater retry) {
    transactions.inTransaction(
        () -> {
          closures.change(closure, change);
          auditor.append(
              ClosureAuditor.record(closure, AuditAction.RETRY_SCHEDULED)
                  .target(retry.system(), null)
                  .detail(retry.detail() + "; next at " + change.nextAttemptAt()));
        });
  }

  private void propagate(Closure closure, Verdict.Proceed proceed) {
    SourceRecord record = proceed.record();
    transactions.inTransaction(
        () -> {
          auditor.append(
              ClosureAuditor.record(closure, AuditAction.VERIFIED)
                  .target(TargetSystem.REVIEW, record.escalationId().value())
                  .detail("episode " + record.episodeId()));
          raiseOutOfScopeOnce(closure, proceed.outOfScopeRequests());
        });
    boolean progressed = false;
    for (StepProgress step : closures.steps(closure.id())) {
      StepProgress progress = step;
      if (progress.status().isFinished()) {
        continue;
      }
      if (progress.step() == Step.COMPLETION_RECORD) {
        recordCompletion(closure, progress);
        progressed = true;
        continue;
      }
      // Recording prior values moves the step row's revision: keep the row as last written.
      StepProgress[] latest = {progress};
      StepResult result = run(closure, record, latest);
      progress = latest[0];
      if (result instanceof StepResult.Applied applied) {
        finish(closure, progress, StepStatus.DONE, applied.written(), AuditAction.STEP_DONE);
        progressed = true;
      } else if (result instanceof StepResult.AlreadyDone done) {
        finish(
            closure,
            progress,
            StepStatus.SKIPPED_ALREADY_DONE,
            List.of(),
            AuditAction.STEP_SKIPPED,
            done.system(),
            done.targetRecordId());
        progressed = true;
      } else if (result instanceof StepResult.Conflict conflict) {
        stop(
            closure,
            FollowUpReason.TARGET_CONFLICT,
            conflict.system(),
            record.dispositionVersion(),
            progress.step() + " on " + conflict.targetRecordId() + ": " + conflict.detail());
        return;
      } else if (result instanceof StepResult.Unavailable unavailable) {
        retryLater(
            closure,
            new Verdict.RetryLater(
                FollowUpReason.RETRIES_EXHAUSTED, unavailable.system(), unavailable.detail()),
            progressed);
        return;
      }
    }
    transactions.inTransaction(
        () -> {
          closures.change(closure, ClosureChange.to(ClosureStatus.COMPLETED, clock.instant()));
          auditor.append(ClosureAuditor.record(closure, AuditAction.COMPLETED));
        });
  }

  private StepResult run(Closure closure, SourceRecord record, StepProgress[] latest) {
    StepProgress progress = latest[0];
    boolean attempted = !progress.prior().isEmpty();
    PriorRecorder priors =
        prior -> {
          latest[0] = closures.recordPrior(latest[0], prior);
          return latest[0].prior();
        };
    return switch (progress.step()) {
      case TRACKER_SYNC, LEDGER_SYNC, ARCHIVE_LINK, QUEUE_CLOSE ->
          executor.execute(progress.step(), closure.key(), record, attempted, priors);
      case COMPLETION_RECORD ->
          throw new IllegalArgumentException("the completion record is written in the store");
      case COORDINATOR_NOTIFY ->
          executor.notifyCoordinator(
              new CoordinatorNotice(
                  CoordinatorNotice.Kind.CLOSURE_PROPAGATION_COMPLETE,
                  closure.key().escalationId(),
                  closure.key().dispositionVersion(),
                  targetsUpdated(closure)),
              closure.key().keyFor(Step.COORDINATOR_NOTIFY));
    };
  }

  /**
   * The completion trace lives in Closeout's own store, so it is written, marked done and audited
   * in one transaction: a crash cannot separate them.
   */
  private void recordCompletion(Closure closure, StepProgress progress) {
    transactions.inTransaction(
        () -> {
          boolean written =
              completions.insert(
                  closure.id(),
                  closure.key(),
                  closure.eventId().value(),
                  trailOf(closure),
                  clock.instant());
          StepStatus status = written ? StepStatus.DONE : StepStatus.SKIPPED_ALREADY_DONE;
          closures.finishStep(progress, status, List.of(), clock.instant());
          AuditRecord entry =
              ClosureAuditor.record(
                      closure, written ? AuditAction.STEP_DONE : AuditAction.STEP_SKIPPED)
                  .target(TargetSystem.AUDIT, "completion-record:" + closure.id())
                  .detail(Step.COMPLETION_RECORD.name());
          auditor.append(written ? entry : entry.skipped());
        });
    listener.stepCommitted(closure.key(), progress.step());
  }

  /** Audit sequences of this closure's trail so far: the source event through every update. */
  private List<Long> trailOf(Closure closure) {
    return audit.forEscalation(closure.key().escalationId().value()).stream()
        .filter(
            e -> Integer.valueOf(closure.key().dispositionVersion()).equals(e.dispositionVersion()))
        .map(AuditEntry::sequence)
        .toList();
  }

  private List<TargetSystem> targetsUpdated(Closure closure) {
    Set<TargetSystem> systems = new LinkedHashSet<>();
    for (StepProgress step : closures.steps(closure.id())) {
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

  private void finish(
      Closure closure,
      StepProgress progress,
      StepStatus status,
      List<TargetSnapshot> written,
      AuditAction action) {
    finish(closure, progress, status, written, action, null, null);
  }

  private void finish(
      Closure closure,
      StepProgress progress,
      StepStatus status,
      List<TargetSnapshot> written,
      AuditAction action,
      TargetSystem skippedSystem,
      String skippedRecord) {
    transactions.inTransaction(
        () -> {
          closures.finishStep(progress, status, written, clock.instant());
          if (written.isEmpty()) {
            auditor.append(
                ClosureAuditor.record(closure, action)
                    .target(skippedSystem, skippedRecord)
                    .skipped()
                    .detail(progress.step().name()));
          }
          for (TargetSnapshot snapshot : written) {
            AuditRecord entry =
                ClosureAuditor.record(closure, action)
                    .target(snapshot.system(), snapshot.recordId())
                    .detail(describe(progress.step(), snapshot));
            if (snapshot.system() == TargetSystem.NOTIFICATION) {
              entry = entry.notified(coordinatorName);
            }
            auditor.append(entry);
          }
        });
    listener.stepCommitted(closure.key(), progress.step());
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

  /** After an unexpected failure, hand the closure back for a later attempt. */
  private void giveBack(Closure closure, RuntimeException cause) {
    try {
      Closure current = closures.find(closure.id()).orElse(closure);
      if (current.status() == ClosureStatus.RUNNING && workerId.equals(current.leaseOwner())) {
        retryLater(
            current,
            new Verdict.RetryLater(
                FollowUpReason.RETRIES_EXHAUSTED,
                TargetSystem.AUDIT,
                "internal error " + cause.getClass().getSimpleName()),
            false);
      }
    } catch (RuntimeException again) {
      LOG.error("could not hand back " + closure.key() + "; its lease will expire", again);
    }
  }
}
