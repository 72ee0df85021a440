package com.closeout.bench;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.EscalationId;
import com.closeout.domain.IdempotencyKey;
import com.closeout.domain.SourceRecord;
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
import com.closeout.targets.WriteResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Target ports as a benchmark sees them: every call to any of the six systems first waits the given
 * latency (a network round trip to a real system), and each notice the coordinator channel takes is
 * reported, so event-to-notice latency is measured where the notice lands.
 *
 * <p>{@link #release()} drops the systems behind the ports: they stand in for other processes, so
 * the heap retained after a run is measured without them.
 */
public final class BenchTargets {
  private final long latencyMillis;
  private final Consumer<EscalationId> noticed;
  private volatile TargetPorts delegate;

  /**
   * @param latencyMillis the pause before every call; 0 for none
   * @param noticed told the escalation of every notice the channel accepted (also a replay)
   */
  public BenchTargets(TargetPorts delegate, long latencyMillis, Consumer<EscalationId> noticed) {
    if (latencyMillis < 0) {
      throw new IllegalArgumentException("latency must not be negative");
    }
    this.delegate = delegate;
    this.latencyMillis = latencyMillis;
    this.noticed = noticed;
  }

  public TargetPorts ports() {
    return new TargetPorts(
        new Review(), new Tracker(), new Ledger(), new Queue(), new Archive(), new Coordinator());
  }

  /** Lets go of the systems behind the ports; a later call fails. */
  public void release() {
    delegate = null;
  }

  private TargetPorts target() {
    TargetPorts current = delegate;
    if (current == null) {
      throw new IllegalStateException("the benchmark's target systems were released");
    }
    pause();
    return current;
  }

  private void pause() {
    if (latencyMillis == 0) {
      return;
    }
    try {
      Thread.sleep(latencyMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting on a target", e);
    }
  }

  private final class Review implements ReviewSystem {
    @Override
    public Optional<SourceRecord> readEscalation(EscalationId escalationId) {
      return target().review().readEscalation(escalationId);
    }

    @Override
    public List<SourceRecord> finalizedAfter(FinalizedCursor after, int limit) {
      return target().review().finalizedAfter(after, limit);
    }
  }

  private abstract class Bookkeeping {
    abstract BookkeepingTarget system(TargetPorts ports);

    public Optional<BookkeepingRecord> findByEscalation(EscalationId escalationId) {
      return system(target()).findByEscalation(escalationId);
    }

    public WriteResult setReviewState(
        String recordId, ReviewState state, long expectedRevision, IdempotencyKey key) {
      return system(target()).setReviewState(recordId, state, expectedRevision, key);
    }

    public WriteResult linkArchiveRef(
        String recordId, ArchiveRef ref, long expectedRevision, IdempotencyKey key) {
      return system(target()).linkArchiveRef(recordId, ref, expectedRevision, key);
    }

    public WriteResult unlinkArchiveRef(
        String recordId, String uri, long expectedRevision, IdempotencyKey key) {
      return system(target()).unlinkArchiveRef(recordId, uri, expectedRevision, key);
    }
  }

  private final class Tracker extends Bookkeeping implements EscalationTracker {
    @Override
    BookkeepingTarget system(TargetPorts ports) {
      return ports.tracker();
    }
  }

  private final class Ledger extends Bookkeeping implements CaseLedger {
    @Override
    BookkeepingTarget system(TargetPorts ports) {
      return ports.ledger();
    }
  }

  private final class Queue implements PostReviewQueue {
    @Override
    public Optional<QueueItem> findByEscalation(EscalationId escalationId) {
      return target().queue().findByEscalation(escalationId);
    }

    @Override
    public WriteResult close(
        String itemId, Instant closedAt, long expectedRevision, IdempotencyKey key) {
      return target().queue().close(itemId, closedAt, expectedRevision, key);
    }

    @Override
    public WriteResult restoreOpen(String itemId, long expectedRevision, IdempotencyKey key) {
      return target().queue().restoreOpen(itemId, expectedRevision, key);
    }
  }

  private final class Archive implements EvidenceArchive {
    @Override
    public Optional<ArchiveObject> head(String uri) {
      return target().archive().head(uri);
    }
  }

  private final class Coordinator implements CoordinatorChannel {
    @Override
    public String name() {
      TargetPorts current = delegate;
      return current == null ? "released" : current.coordinator().name();
    }

    @Override
    public WriteResult post(CoordinatorNotice notice, IdempotencyKey key) {
      WriteResult result = target().coordinator().post(notice, key);
      if (notice.kind() == CoordinatorNotice.Kind.CLOSURE_PROPAGATION_COMPLETE
          && (result == WriteResult.APPLIED || result == WriteResult.REPLAYED)) {
        noticed.accept(notice.escalationId());
      }
      return result;
    }
  }
}
