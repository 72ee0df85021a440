package com.closeout.evaluation;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.EscalationId;
import com.closeout.domain.IdempotencyKey;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.TargetSystem;
import com.closeout.sandbox.FaultKind;
import com.closeout.sandbox.SandboxControl;
import com.closeout.targets.ArchiveObject;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.BookkeepingTarget;
import com.closeout.targets.CaseLedger;
import com.closeout.targets.CoordinatorChannel;
import com.closeout.targets.CoordinatorNotice;
import com.closeout.targets.EscalationTracker;
import com.closeout.targets.EvidenceArchive;
import com.closeout.targets.PostReviewQueue;
import com.closeout.targets.QueueItem;
import com.closeout.targets.ReviewState;
import com.closeout.targets.ReviewSystem;
import com.closeout.targets.TargetPorts;
import com.closeout.targets.TargetUnavailableException;
import com.closeout.targets.WriteResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The campaign's view of the sandbox systems: the sandbox's own ports, with faults armed per
 * escalation (so a fault lands on the case that planned it, however many closures run at once), an
 * outage window on one system in simulated time, and a log of every write that changed a target,
 * stamped with a sequence number and the campaign clock's time.
 *
 * <p>The sequence is shared with {@link #mark()}: a source change marked at n happened after every
 * write logged below n and before every write logged above it, which is what the mid-flight check
 * compares.
 */
final class CampaignPorts {
  /** The pseudo-kind under which outage refusals are counted. */
  static final String OUTAGE = "OUTAGE";

  /** Intake refusals are counted under this label: not a fault injected, a store's answer. */
  static final String INTAKE_REFUSED = "intake/REFUSED";

  private final TargetPorts sandboxPorts;
  private final SandboxControl sandbox;
  private final Clock clock;
  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, EscalationId> owners = new ConcurrentHashMap<>();
  private final Map<String, Map<TargetSystem, Deque<Armed>>> armed = new HashMap<>();
  private final Map<String, Map<String, Integer>> fired = new HashMap<>();
  private final Map<String, List<Write>> writes = new HashMap<>();
  private volatile Outage outage;

  /** One write that changed a target. */
  record Write(long sequence, Instant at, TargetSystem system) {}

  /** One system down from {@code from} (inclusive) to {@code until} (exclusive). */
  record Outage(TargetSystem system, Instant from, Instant until) {
    boolean covers(TargetSystem called, Instant now) {
      return called == system && !now.isBefore(from) && now.isBefore(until);
    }
  }

  /**
   * @param sandbox where someone else's edits of a CONFLICT fault are made
   * @param sandboxPorts the ports the engine would use without the campaign's faults
   */
  CampaignPorts(SandboxControl sandbox, TargetPorts sandboxPorts, Clock clock) {
    this.sandbox = sandbox;
    this.sandboxPorts = sandboxPorts;
    this.clock = clock;
  }

  /** Calls naming {@code key} (a record id, queue item id or archive uri) belong to escalation. */
  void own(String key, EscalationId escalation) {
    owners.put(key, escalation);
  }

  synchronized void arm(EscalationId escalation, PlannedFault fault) {
    armed
        .computeIfAbsent(escalation.value(), e -> new EnumMap<>(TargetSystem.class))
        .computeIfAbsent(fault.system(), s -> new ArrayDeque<>())
        .addLast(new Armed(fault));
  }

  void startOutage(TargetSystem system, Instant from, Duration length) {
    outage = new Outage(system, from, from.plus(length));
  }

  Optional<Outage> outage() {
    return Optional.ofNullable(outage);
  }

  /** The store refused an event at intake (a transient failure); the campaign delivers again. */
  void noteIntakeRefused(EscalationId escalation) {
    count(escalation, INTAKE_REFUSED);
  }

  /** A point in the write order, for a change made at the source now. */
  long mark() {
    return sequence.incrementAndGet();
  }

  synchronized List<Write> writes(EscalationId escalation) {
    return List.copyOf(writes.getOrDefault(escalation.value(), List.of()));
  }

  /** Faults that went off for one escalation, by label ({@code tracker/TIMEOUT}). */
  synchronized Map<String, Integer> fired(EscalationId escalation) {
    return new TreeMap<>(fired.getOrDefault(escalation.value(), Map.of()));
  }

  TargetPorts ports() {
    return new TargetPorts(
        new Review(),
        new Tracker(TargetSystem.TRACKER, sandboxPorts.tracker()),
        new Ledger(TargetSystem.LEDGER, sandboxPorts.ledger()),
        new Queue(),
        new Archive(),
        new Coordinator());
  }

  // ---- fault taking --------------------------------------------------------------------------

  /**
   * Throws when the call is refused (outage, or an armed UNAVAILABLE); else the armed fault this
   * write must act on (TIMEOUT, CONFLICT), if any.
   */
  private FaultKind before(TargetSystem system, EscalationId escalation, boolean write) {
    Outage down = outage;
    if (down != null && down.covers(system, clock.instant())) {
      count(escalation, system.wireName() + "/" + OUTAGE);
      throw new TargetUnavailableException(system, "campaign: outage", false);
    }
    if (escalation == null) {
      return null;
    }
    FaultKind kind;
    synchronized (this) {
      Deque<Armed> queue =
          armed.getOrDefault(escalation.value(), Map.of()).getOrDefault(system, null);
      Armed head = queue == null ? null : queue.peekFirst();
      if (head == null || (!write && !head.appliesToReads())) {
        return null;
      }
      head.remaining--;
      if (head.remaining == 0) {
        queue.removeFirst();
      }
      kind = head.fault.kind();
      count(escalation, head.fault.label());
    }
    if (kind == FaultKind.UNAVAILABLE) {
      throw new TargetUnavailableException(system, "campaign: unavailable", false);
    }
    return kind;
  }

  private synchronized void count(EscalationId escalation, String label) {
    if (escalation != null) {
      fired.computeIfAbsent(escalation.value(), e -> new TreeMap<>()).merge(label, 1, Integer::sum);
    }
  }

  /** A write: the fault first, then the sandbox, then the log; a TIMEOUT loses the answer. */
  private WriteResult write(
      TargetSystem system, EscalationId escalation, Supplier<WriteResult> call) {
    FaultKind fault = before(system, escalation, true);
    WriteResult result;
    // No lock is held around the call: over HTTP the sandbox server answers on its own threads.
    // The edit and the write need none either, since one closure per escalation runs at a time.
    if (fault == FaultKind.CONFLICT && escalation != null) {
      editUnrelatedField(system, escalation);
    }
    result = call.get();
    if (result == WriteResult.APPLIED && escalation != null) {
      logWrite(escalation, system);
    }
    if (fault == FaultKind.TIMEOUT) {
      throw new TargetUnavailableException(system, "campaign: answer lost (timeout)", true);
    }
    return result;
  }

  private synchronized void logWrite(EscalationId escalation, TargetSystem system) {
    writes
        .computeIfAbsent(escalation.value(), e -> new ArrayList<>())
        .add(new Write(sequence.incrementAndGet(), clock.instant(), system));
  }

  /** Someone else touched the record: its revision moves, nothing Closeout reads changes. */
  private void editUnrelatedField(TargetSystem system, EscalationId escalation) {
    if (system == TargetSystem.TRACKER) {
      sandbox.tracker(escalation).ifPresent(r -> sandbox.putTracker(bumped(r)));
    } else if (system == TargetSystem.LEDGER) {
      sandbox.ledger(escalation).ifPresent(r -> sandbox.putLedger(bumped(r)));
    } else if (system == TargetSystem.QUEUE) {
      sandbox
          .queueItem(escalation)
          .ifPresent(
              i ->
                  sandbox.putQueueItem(
                      new QueueItem(
                          i.itemId(),
                          i.escalationId(),
                          i.episodeId(),
                          i.status(),
                          i.closedAt(),
                          i.revision() + 1)));
    }
    // A notice is not conditional on a revision: nothing to edit.
  }

  private static BookkeepingRecord bumped(BookkeepingRecord r) {
    return new BookkeepingRecord(
        r.recordId(),
        r.escalationId(),
        r.episodeId(),
        r.status(),
        r.dispositionVersion(),
        r.closedAt(),
        r.archiveRefs(),
        r.revision() + 1);
  }

  private EscalationId owner(String key) {
    return key == null ? null : owners.get(key);
  }

  private static final class Armed {
    private final PlannedFault fault;
    private int remaining;

    Armed(PlannedFault fault) {
      this.fault = fault;
      this.remaining = fault.count();
    }

    boolean appliesToReads() {
      return fault.kind() == FaultKind.UNAVAILABLE && !fault.writesOnly();
    }
  }

  // ---- the decorated ports ---------------------------------------------------------------------

  private final class Review implements ReviewSystem {
    @Override
    public Optional<SourceRecord> readEscalation(EscalationId escalationId) {
      before(TargetSystem.REVIEW, escalationId, false);
      return sandboxPorts.review().readEscalation(escalationId);
    }

    @Override
    public List<SourceRecord> finalizedAfter(FinalizedCursor after, int limit) {
      before(TargetSystem.REVIEW, null, false);
      return sandboxPorts.review().finalizedAfter(after, limit);
    }
  }

  private class Bookkeeping implements BookkeepingTarget {
    private final TargetSystem system;
    private final BookkeepingTarget delegate;

    Bookkeeping(TargetSystem system, BookkeepingTarget delegate) {
      this.system = system;
      this.delegate = delegate;
    }

    @Override
    public Optional<BookkeepingRecord> findByEscalation(EscalationId escalationId) {
      before(system, escalationId, false);
      return delegate.findByEscalation(escalationId);
    }

    @Override
    public WriteResult setReviewState(
        String recordId, ReviewState state, long expectedRevision, IdempotencyKey key) {
      return write(
          system,
          owner(recordId),
          () -> delegate.setReviewState(recordId, state, expectedRevision, key));
    }

    @Override
    public WriteResult linkArchiveRef(
        String recordId, ArchiveRef ref, long expectedRevision, IdempotencyKey key) {
      return write(
          system,
          owner(recordId),
          () -> delegate.linkArchiveRef(recordId, ref, expectedRevision, key));
    }

    @Override
    public WriteResult unlinkArchiveRef(
        String recordId, String uri, long expectedRevision, IdempotencyKey key) {
      return write(
          system,
          owner(recordId),
          () -> delegate.unlinkArchiveRef(recordId, uri, expectedRevision, key));
    }
  }

  private final class Tracker extends Bookkeeping implements EscalationTracker {
    Tracker(TargetSystem system, BookkeepingTarget delegate) {
      super(system, delegate);
    }
  }

  private final class Ledger extends Bookkeeping implements CaseLedger {
    Ledger(TargetSystem system, BookkeepingTarget delegate) {
      super(system, delegate);
    }
  }

  private final class Queue implements PostReviewQueue {
    @Override
    public Optional<QueueItem> findByEscalation(EscalationId escalationId) {
      before(TargetSystem.QUEUE, escalationId, false);
      return sandboxPorts.queue().findByEscalation(escalationId);
    }

    @Override
    public WriteResult close(
        String itemId, Instant closedAt, long expectedRevision, IdempotencyKey key) {
      return write(
          TargetSystem.QUEUE,
          owner(itemId),
          () -> sandboxPorts.queue().close(itemId, closedAt, expectedRevision, key));
    }

    @Override
    public WriteResult restoreOpen(String itemId, long expectedRevision, IdempotencyKey key) {
      return write(
          TargetSystem.QUEUE,
          owner(itemId),
          () -> sandboxPorts.queue().restoreOpen(itemId, expectedRevision, key));
    }
  }

  private final class Archive implements EvidenceArchive {
    @Override
    public Optional<ArchiveObject> head(String uri) {
      before(TargetSystem.ARCHIVE, owner(uri), false);
      return sandboxPorts.archive().head(uri);
    }
  }

  private final class Coordinator implements CoordinatorChannel {
    @Override
    public String name() {
      return sandboxPorts.coordinator().name();
    }

    @Override
    public WriteResult post(CoordinatorNotice notice, IdempotencyKey key) {
      return write(
          TargetSystem.NOTIFICATION,
          notice.escalationId(),
          () -> sandboxPorts.coordinator().post(notice, key));
    }
  }
}
