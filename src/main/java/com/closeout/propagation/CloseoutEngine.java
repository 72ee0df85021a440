package com.closeout.propagation;

import com.closeout.domain.ClosureKey;
import com.closeout.domain.ClosureStatus;
import com.closeout.domain.EscalationId;
import com.closeout.followup.Resolution;
import com.closeout.followup.ResolutionOutcome;
import com.closeout.intake.EventIntake;
import com.closeout.intake.IncomingEvent;
import com.closeout.intake.IntakeReceipt;
import com.closeout.targets.TargetPorts;
import com.closeout.verification.SourceVerifier;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
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
  private final EventIntake intake;
  private final ClosureWorker worker;
  private final RevertService reverts;
  private final FollowUpResolver resolver;

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
    this.intake =
        new EventIntake(stores.inbox(), closures, stores.audit(), stores.transactions(), clock);
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
            parallel);
    this.reverts =
        new RevertService(
            ports, closures, stores.transactions(), auditor, raiser, settings, clock, workerId);
    this.resolver =
        new FollowUpResolver(stores.followUps(), closures, stores.transactions(), auditor, clock);
  }

  /** Intake of one delivered, well-formed event (SPEC §4 rows 1-2; the rest runs in the worker). */
  public IntakeReceipt receive(IncomingEvent event) {
    return intake.receive(event);
  }

  /** Works every closure due now until none is due; returns how many claims were worked. */
  public int runDue() {
    return worker.runDue();
  }

  public Optional<Instant> nextDueAt() {
    return stores.closures().nextDueAt();
  }

  /** On start: gives back leases this worker id held when it died, so it resumes at once. */
  public int recoverAfterRestart() {
    return stores.closures().releaseLeasesOf(workerId, clock.instant());
  }

  public RevertOutcome revert(EscalationId escalationId, int dispositionVersion) {
    return reverts.revert(new ClosureKey(escalationId, dispositionVersion));
  }

  public ResolutionOutcome resolveFollowUp(long followUpId, Resolution resolution, String comment) {
    return resolver.resolve(followUpId, resolution, comment);
  }
}
