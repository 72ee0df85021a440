package com.closeout.propagation;

import com.closeout.domain.ClosureKey;
import com.closeout.domain.ClosureStatus;
import com.closeout.domain.EscalationId;
import com.closeout.domain.Step;
import com.closeout.domain.StepStatus;
import com.closeout.domain.TargetSnapshot;
import com.closeout.intake.InboxEntry;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Durable closures and their step progress. Every status write is guarded by (id, status, revision)
 * and its row count is checked: a write that lost a race throws {@link
 * ConcurrentClosureChangeException} instead of overwriting. The group writes ({@link #changeAll},
 * {@link #recordPriors}, {@link #finishSteps}) may be held for the commit of the caller's
 * transaction and sent with it (decision 0013): inside a transaction they throw from its commit,
 * and nothing of the transaction commits; outside one they throw at once.
 */
public interface ClosureStore {

  /**
   * Accepts a group of deliveries into the inbox and starts the closure of each accepted one that
   * brings one, in one statement: intake's group costs one round trip for both (decision 0020). A
   * closure starts in PENDING, due at once, with six PENDING steps. Entries go in in order: of two
   * with the same event id the first is accepted, and of two closures with the same (escalation,
   * version) the first starts, as one delivery after the other would. A started closure's inbox row
   * names it. An accepted delivery whose closure was not started (one already existed) is left for
   * the caller to settle in the same transaction: its row holds the entry's outcome and a closure
   * id no closure took.
   */
  default List<Acceptance> acceptAndStartAll(List<Delivery> deliveries) {
    return acceptAndStartAll(deliveries, Lease.NONE);
  }

  /**
   * As {@link #acceptAndStartAll(List)}, and leases up to {@code lease.limit()} of the closures it
   * starts to {@code lease.owner()} in the same statement (status RUNNING, as a claim leaves them),
   * so that worker takes them without a claim (decision 0023). Only where a claim made right after
   * would take them too, in the same order: a closure is leased only when no closure is due and
   * waiting for a claim, no other closure of its escalation is waiting, running or reverting, and
   * it is the first of its escalation in the group; the others start PENDING as usual. Throws
   * {@link EscalationLeasedMeanwhileException}, with nothing stored, when another transaction
   * leased a closure of the same escalation at the same moment: the caller tries again without a
   * lease.
   */
  List<Acceptance> acceptAndStartAll(List<Delivery> deliveries, Lease lease);

  /**
   * Who intake leases the closures it starts to, until when, and at most how many of a group.
   *
   * @param at now, for the lease: what is due then and waiting for a claim goes first
   * @param limit 0 leases none
   */
  record Lease(String owner, Instant at, Instant until, int limit) {
    public static final Lease NONE = new Lease("", Instant.EPOCH, Instant.EPOCH, 0);

    public Lease {
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(until, "until");
      if (limit < 0) {
        throw new IllegalArgumentException("a lease limit is not negative");
      }
      if (limit > 0 && owner.isBlank()) {
        throw new IllegalArgumentException("a lease names its owner");
      }
    }
  }

  /**
   * An event to accept and, for a finalized disposition, the closure it starts (null for none); the
   * closure's event is the entry's.
   */
  record Delivery(InboxEntry entry, NewClosure closure) {
    public Delivery {
      if (closure != null && !closure.event().eventId().value().equals(entry.eventId())) {
        throw new IllegalArgumentException("a delivery starts the closure of its own event");
      }
      if (closure != null && entry.closureId() != null) {
        throw new IllegalArgumentException("a delivery that starts a closure names no other");
      }
    }
  }

  /**
   * What became of a delivery.
   *
   * @param accepted false where its event id was accepted before (nothing written for it then)
   * @param started the closure it started; empty when it brings none, was not accepted, or one
   *     already existed for its (escalation, version)
   * @param leased the started closure with its new step rows, when it was leased as it started
   */
  record Acceptance(boolean accepted, Optional<Closure> started, Optional<Claimed> leased) {
    public Acceptance(boolean accepted, Optional<Closure> started) {
      this(accepted, started, Optional.empty());
    }

    public Acceptance {
      if (leased.isPresent() && !leased.map(Claimed::closure).equals(started)) {
        throw new IllegalArgumentException("only the closure a delivery started is leased");
      }
    }
  }

  Optional<Closure> find(long closureId);

  Optional<Closure> find(ClosureKey key);

  /** All closures of one escalation, oldest version first. */
  List<Closure> forEscalation(EscalationId escalationId);

  /**
   * Claim and fetch in one statement: leases up to {@code limit} PENDING closures due at {@code
   * now} to {@code owner} (status RUNNING), soonest first, at most one per escalation and none of
   * an escalation already leased; rows another claimer has locked are skipped. A race with another
   * instance over the same escalation yields an empty batch, never a second lease.
   */
  default List<Closure> claimDue(Instant now, String owner, Instant leaseUntil, int limit) {
    return claimDueWithSteps(now, owner, leaseUntil, limit).stream().map(Claimed::closure).toList();
  }

  /**
   * As {@link #claimDue}, with each claimed closure's step rows read in the same statement: a
   * worker's batch starts with one round trip. Nobody else changes a leased closure's steps, so
   * they are still its steps when the worker gets to them.
   */
  List<Claimed> claimDueWithSteps(Instant now, String owner, Instant leaseUntil, int limit);

  /** A closure just leased, and its step rows in step order. */
  record Claimed(Closure closure, List<StepProgress> steps) {
    public Claimed {
      steps = List.copyOf(steps);
    }
  }

  /** When the soonest PENDING closure falls due, if any. */
  Optional<Instant> nextDueAt();

  /**
   * Takes a lease: moves the closure to RUNNING or REVERTING for {@code owner} until {@code
   * leaseUntil}. False, with nothing changed, when another worker moved it first or another closure
   * of the same escalation is leased (one closure per escalation at a time).
   */
  Optional<Closure> claim(Closure closure, ClosureStatus to, String owner, Instant leaseUntil);

  /** Applies a guarded change and returns the new row. */
  Closure change(Closure closure, ClosureChange change);

  /**
   * Applies one guarded change to many closures in one statement (a group commit's last write); if
   * any of them moved meanwhile, none changes and {@link ConcurrentClosureChangeException} is
   * thrown, from the commit when the caller's transaction held the write.
   */
  void changeAll(List<Closure> closures, ClosureChange change);

  /** A restarted worker gives back what it held when it died: RUNNING closures become PENDING. */
  int releaseLeasesOf(String owner, Instant now);

  /** Leases that ran out (their worker died) are given back: RUNNING closures become PENDING. */
  int releaseExpiredLeases(Instant now);

  List<StepProgress> steps(long closureId);

  /**
   * Records what the targets held before the step wrote. A step read with prior values recorded
   * keeps them (the first recording wins); one recorded or changed since it was read throws {@link
   * ConcurrentClosureChangeException}. Recording leaves the step's revision as it is; every later
   * guarded write of the step also checks that prior values are recorded as they were when read.
   */
  StepProgress recordPrior(StepProgress step, List<TargetSnapshot> prior);

  /** Guarded move of a step's status, with what it wrote. */
  StepProgress finishStep(
      StepProgress step, StepStatus to, List<TargetSnapshot> written, Instant at);

  Optional<StepProgress> step(long closureId, Step step);

  /** One step's prior values to record. */
  record PriorRecord(StepProgress step, List<TargetSnapshot> prior) {}

  /** One step's guarded move, with what it wrote. */
  record StepFinish(StepProgress step, StepStatus to, List<TargetSnapshot> written) {}

  /**
   * {@link #recordPrior} for many steps in one statement; results in the same order. The first
   * recording of a step still wins: a step read with prior values recorded keeps them and is
   * returned as read. A step that moved since it was read fails the group as {@link #finishSteps}
   * does.
   */
  List<StepProgress> recordPriors(List<PriorRecord> priors);

  /**
   * {@link #finishStep} for many steps in one statement; results in the same order. Throws {@link
   * ConcurrentClosureChangeException}, changing nothing that commits, if any step moved: at once,
   * or from the commit of the caller's transaction when it held the write.
   */
  List<StepProgress> finishSteps(List<StepFinish> finishes, Instant at);

  /**
   * Clears the prior values of pending steps that were recorded but never written: a phase records
   * the prior values of all its steps before its first write, and a step left unwritten because an
   * earlier one stopped must not read as attempted later. Guarded like {@link #finishSteps}.
   */
  List<StepProgress> forgetPriors(List<StepProgress> steps);
}
