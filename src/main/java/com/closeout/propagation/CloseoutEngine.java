package com.closeout.propagation;

import com.closeout.domain.EscalationId;
import com.closeout.followup.Resolution;
import com.closeout.followup.ResolutionOutcome;
import com.closeout.intake.IncomingEvent;
import com.closeout.intake.IntakeReceipt;
import com.closeout.targets.TargetPorts;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The whole pipeline assembled from its ports, without Spring: intake, verification, propagation,
 * revert and follow-up resolution. The Spring configuration, the scenario runner and the demo all
 * build it the same way.
 */
public final class CloseoutEngine {

  public CloseoutEngine(
      TargetPorts ports,
      CloseoutStores stores,
      Clock clock,
      EngineSettings settings,
      String workerId,
      StepCommitListener listener,
      RandomGenerator jitter) {
    throw new IllegalStateException("engine being written in this session");
  }

  /** Intake of one delivered, well-formed event (SPEC §4 rows 1-2; the rest runs in the worker). */
  public IntakeReceipt receive(IncomingEvent event) {
    throw new IllegalStateException("engine being written in this session");
  }

  /** Works every closure due now until none is due; returns how many claims were worked. */
  public int runDue() {
    throw new IllegalStateException("engine being written in this session");
  }

  public Optional<Instant> nextDueAt() {
    throw new IllegalStateException("engine being written in this session");
  }

  /** On start: gives back leases this worker id held when it died, so it resumes at once. */
  public int recoverAfterRestart() {
    throw new IllegalStateException("engine being written in this session");
  }

  public RevertOutcome revert(EscalationId escalationId, int dispositionVersion) {
    throw new IllegalStateException("engine being written in this session");
  }

  public ResolutionOutcome resolveFollowUp(long followUpId, Resolution resolution, String comment) {
    throw new IllegalStateException("engine being written in this session");
  }
}
