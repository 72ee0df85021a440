package com.closeout.propagation;

import com.closeout.domain.ClosureKey;
import com.closeout.domain.ClosureStatus;
import com.closeout.domain.EscalationId;
import com.closeout.domain.EventOutcome;
import com.closeout.followup.Resolution;
import com.closeout.followup.ResolutionOutcome;
import com.closeout.intake.EventIntake;
import com.closeout.intake.GroupCommitIntake;
import com.closeout.intake.IncomingEvent;
import com.closeout.intake.IntakeReceipt;
import com.closeout.targets.TargetPorts;
import com.closeout.verification.SourceVerifier;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

/**
 * The whole pipeline assembled from its ports, without Spring: intake, verification, propagation,
 * revert and follow-up resolution. The Spring configuration, the scenario runner and the demo all
 * build it the same way.
 */
public final class CloseoutEngine {
  private final CloseoutStores stores;
  private final Clock clock;
  private final String workerId;
  private final IntakeHandOff handOff;
  private final EventIntake intake;
  private final GroupCommitIntake groupedIntake;
  private final ClosureWorker worker;
  private final RevertService reverts;
  private final FollowUpResolver resolver;
  private final List<Runnable> workArrived = new CopyOnWriteArrayList<>();

  public CloseoutEngine(
      TargetPorts ports,
      CloseoutStores stores,
      Clock clock,
      EngineSettings settings,
      String workerId,
      StepCommitListener listener,
      RandomGenerator jitter) {
    this(ports, stores, clock, settings, workerId, listener, jitter, null);
  }

  /**
   * @param parallel runs the closures of one claimed batch concurrently, so their target I/O
   *     overlaps; {@code null} works them one after another in the calling thread
   */
  public CloseoutEngine(
      TargetPorts ports,
      CloseoutStores stores,
      Clock clock,
      EngineSettings settings,
      String workerId,
      StepCommitListener listener,
      RandomGenerator jitter,
      Executor parallel) {
    this.stores = stores;
    this.clock = clock;
    this.workerId = workerId;
    ClosureStore closures = stores.closures();
    ClosureAuditor auditor = new ClosureAuditor(stores.audit());
    FollowUpRaiser raiser = new FollowUpRaiser(stores.followUps(), auditor, clock);
    SourceVerifier verifier =
        new SourceVerifier(
            ports,
            key ->
                closures.find(key).map(c -> c.status() == ClosureStatus.COMPLETED).orElse(false));
    this.handOff = new IntakeHandOff(workerId, settings.lease(), settings.batchSize(), clock);
    this.intake =
        new EventIntake(
            stores.inbox(), closures, stores.audit(), stores.transactions(), clock, handOff);
    this.groupedIntake = new GroupCommitIntake(intake, settings.batchSize());
    this.worker =
        new ClosureWorker(
            stores,
            verifier,
            new StepExecutor(ports, settings.conflictRereads()),
            auditor,
            raiser,
            new RetryBackoff(jitter),
            settings,
            clock,
            workerId,
            listener,
            ports.coordinator().name(),
            parallel,
            handOff);
    this.reverts =
        new RevertService(
            ports, closures, stores.transactions(), auditor, raiser, settings, clock, workerId);
    this.resolver =
        new FollowUpResolver(stores.followUps(), closures, stores.transactions(), auditor, clock);
  }

  /**
   * Intake of one delivered, well-formed event (SPEC §4 rows 1-2; the rest runs in the worker).
   * Deliveries received concurrently share one transaction ({@link GroupCommitIntake}).
   */
  public IntakeReceipt receive(IncomingEvent event) {
    IntakeReceipt receipt = groupedIntake.receive(event);
    if (receipt.outcome() == EventOutcome.CLOSURE_STARTED) {
      announceWork();
    }
    return receipt;
  }

  /**
   * Intake of a group of deliveries (a batch from one sender) in one transaction: one receipt per
   * event, in order, the same as receiving them one after another; or an exception with nothing
   * stored.
   */
  public List<IntakeReceipt> receiveAll(List<IncomingEvent> events) {
    List<IntakeReceipt> receipts = intake.receiveAll(events);
    if (receipts.stream().anyMatch(r -> r.outcome() == EventOutcome.CLOSURE_STARTED)) {
      announceWork();
    }
    return receipts;
  }

  /**
   * {@code listener} runs (on the caller's thread, so it must be quick) whenever a closure may have
   * become due: intake started one, or a follow-up was resolved. {@link WorkerThreads} wakes on it
   * instead of waiting for its next poll.
   */
  public void whenWorkArrives(Runnable listener) {
    workArrived.add(listener);
  }

  private void announceWork() {
    workArrived.forEach(Runnable::run);
  }

  /** Works every closure due now until none is due; returns how many claims were worked. */
  public int runDue() {
    return worker.runDue(ClaimListener.NONE);
  }

  /**
   * As {@link #runDue()}; {@code claims} hears (on this thread) when each claim is made and when
   * one took a full batch, so more may be due than this thread will take soon.
   */
  public int runDue(ClaimListener claims) {
    return worker.runDue(claims);
  }

  public Optional<Instant> nextDueAt() {
    return stores.closures().nextDueAt();
  }

  /**
   * From now on intake leases the closures it starts to this engine's worker, which takes them
   * without a claim (decision 0023). Only for an engine whose worker runs ({@link #runDue} is
   * called whenever work is announced): what is handed over waits for it.
   */
  public void openIntakeHandOff() {
    handOff.open();
  }

  /**
   * Intake leases nothing more, and the closures handed over but not yet taken are given back to
   * the claims (PENDING, due now). Call it once no thread runs {@link #runDue} any more.
   *
   * @return how many were given back
   */
  public int closeIntakeHandOff() {
    handOff.close();
    List<Closure> left = handOff.takeAll().stream().map(ClosureStore.Claimed::closure).toList();
    if (left.isEmpty()) {
      return 0;
    }
    Instant now = clock.instant();
    stores.closures().changeAll(left, ClosureChange.to(ClosureStatus.PENDING, now).dueAt(now));
    return left.size();
  }

  /** Closures intake handed to this engine's worker since it was made: claims not needed. */
  public long handedOverByIntake() {
    return handOff.handedOver();
  }

  /** On start: gives back leases this worker id held when it died, so it resumes at once. */
  public int recoverAfterRestart() {
    return stores.closures().releaseLeasesOf(workerId, clock.instant());
  }

  public RevertOutcome revert(EscalationId escalationId, int dispositionVersion) {
    return reverts.revert(new ClosureKey(escalationId, dispositionVersion));
  }

  public ResolutionOutcome resolveFollowUp(long followUpId, Resolution resolution, String comment) {
    ResolutionOutcome outcome = resolver.resolve(followUpId, resolution, comment);
    announceWork();
    return outcome;
  }
}
