package com.closeout.targets.resilience;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.EscalationId;
import com.closeout.domain.IdempotencyKey;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.TargetSystem;
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
import java.util.Map;
import java.util.Optional;

/** Decorates each port with its system's {@link TargetGuard}: same ports, guarded calls. */
public final class GuardedPorts {
  private GuardedPorts() {}

  /** A system without a guard in {@code guards} is passed through as it is. */
  public static TargetPorts wrap(TargetPorts ports, Map<TargetSystem, TargetGuard> guards) {
    TargetGuard review = guards.get(TargetSystem.REVIEW);
    TargetGuard tracker = guards.get(TargetSystem.TRACKER);
    TargetGuard ledger = guards.get(TargetSystem.LEDGER);
    TargetGuard queue = guards.get(TargetSystem.QUEUE);
    TargetGuard archive = guards.get(TargetSystem.ARCHIVE);
    TargetGuard notification = guards.get(TargetSystem.NOTIFICATION);
    return new TargetPorts(
        review == null ? ports.review() : new Review(ports.review(), review),
        tracker == null ? ports.tracker() : new Tracker(ports.tracker(), tracker),
        ledger == null ? ports.ledger() : new Ledger(ports.ledger(), ledger),
        queue == null ? ports.queue() : new Queue(ports.queue(), queue),
        archive == null ? ports.archive() : new Archive(ports.archive(), archive),
        notification == null
            ? ports.coordinator()
            : new Coordinator(ports.coordinator(), notification));
  }

  private record Review(ReviewSystem inner, TargetGuard guard) implements ReviewSystem {
    @Override
    public Optional<SourceRecord> readEscalation(EscalationId escalationId) {
      return guard.call(() -> inner.readEscalation(escalationId));
    }

    @Override
    public List<SourceRecord> finalizedAfter(FinalizedCursor after, int limit) {
      return guard.call(() -> inner.finalizedAfter(after, limit));
    }
  }

  private static class Bookkeeping implements BookkeepingTarget {
    private final BookkeepingTarget inner;
    private final TargetGuard guard;

    Bookkeeping(BookkeepingTarget inner, TargetGuard guard) {
      this.inner = inner;
      this.guard = guard;
    }

    @Override
    public Optional<BookkeepingRecord> findByEscalation(EscalationId escalationId) {
      return guard.call(() -> inner.findByEscalation(escalationId));
    }

    @Override
    public WriteResult setReviewState(
        String recordId, ReviewState state, long expectedRevision, IdempotencyKey key) {
      return guard.call(() -> inner.setReviewState(recordId, state, expectedRevision, key));
    }

    @Override
    public WriteResult linkArchiveRef(
        String recordId, ArchiveRef ref, long expectedRevision, IdempotencyKey key) {
      return guard.call(() -> inner.linkArchiveRef(recordId, ref, expectedRevision, key));
    }

    @Override
    public WriteResult unlinkArchiveRef(
        String recordId, String uri, long expectedRevision, IdempotencyKey key) {
      return guard.call(() -> inner.unlinkArchiveRef(recordId, uri, expectedRevision, key));
    }
  }

  private static final class Tracker extends Bookkeeping implements EscalationTracker {
    Tracker(EscalationTracker inner, TargetGuard guard) {
      super(inner, guard);
    }
  }

  private static final class Ledger extends Bookkeeping implements CaseLedger {
    Ledger(CaseLedger inner, TargetGuard guard) {
      super(inner, guard);
    }
  }

  private record Queue(PostReviewQueue inner, TargetGuard guard) implements PostReviewQueue {
    @Override
    public Optional<QueueItem> findByEscalation(EscalationId escalationId) {
      return guard.call(() -> inner.findByEscalation(escalationId));
    }

    @Override
    public WriteResult close(
        String itemId, Instant closedAt, long expectedRevision, IdempotencyKey key) {
      return guard.call(() -> inner.close(itemId, closedAt, expectedRevision, key));
    }

    @Override
    public WriteResult restoreOpen(String itemId, long expectedRevision, IdempotencyKey key) {
      return guard.call(() -> inner.restoreOpen(itemId, expectedRevision, key));
    }
  }

  private record Archive(EvidenceArchive inner, TargetGuard guard) implements EvidenceArchive {
    @Override
    public Optional<ArchiveObject> head(String uri) {
      return guard.call(() -> inner.head(uri));
    }
  }

  private record Coordinator(CoordinatorChannel inner, TargetGuard guard)
      implements CoordinatorChannel {
    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public WriteResult post(CoordinatorNotice notice, IdempotencyKey key) {
      return guard.call(() -> inner.post(notice, key));
    }
  }
}
