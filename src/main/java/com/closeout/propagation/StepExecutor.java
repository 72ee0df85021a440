package com.closeout.propagation;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.ClosureKey;
import com.closeout.domain.IdempotencyKey;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.Step;
import com.closeout.domain.StepResult;
import com.closeout.domain.TargetSnapshot;
import com.closeout.domain.TargetSystem;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.BookkeepingTarget;
import com.closeout.targets.CoordinatorNotice;
import com.closeout.targets.QueueItem;
import com.closeout.targets.ReviewState;
import com.closeout.targets.TargetPorts;
import com.closeout.targets.TargetUnavailableException;
import com.closeout.targets.WriteResult;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs the external steps of SPEC §5 in two halves. {@link #plan} reads the target's current state
 * and decides: already done, a conflict, or a write whose prior values the caller makes durable.
 * {@link #write} then writes conditionally on the revision read, with the step's idempotency key; a
 * revision conflict is re-read and decided again a bounded number of times.
 */
final class StepExecutor {
  private final TargetPorts targets;
  private final int conflictRereads;

  StepExecutor(TargetPorts targets, int conflictRereads) {
    this.targets = targets;
    this.conflictRereads = conflictRereads;
  }

  /**
   * @param attempted prior values were recorded by an earlier attempt, so a target already in the
   *     desired state most likely holds Closeout's own write whose answer was lost: it counts as
   *     done by this step, not skipped, and a revert will undo it
   */
  StepPlan plan(
      Step step, ClosureKey key, SourceRecord record, boolean attempted, CoordinatorNotice notice) {
    try {
      return switch (step) {
        case TRACKER_SYNC ->
            planReviewState(targets.tracker(), TargetSystem.TRACKER, key, record, attempted);
        case LEDGER_SYNC ->
            planReviewState(targets.ledger(), TargetSystem.LEDGER, key, record, attempted);
        case ARCHIVE_LINK -> planLinks(key, record, attempted);
        case QUEUE_CLOSE -> planQueueClose(key, record, attempted);
        case COORDINATOR_NOTIFY -> new StepPlan.NoticeWrite(Objects.requireNonNull(notice));
        case COMPLETION_RECORD ->
            throw new IllegalArgumentException("the completion record is written in the store");
      };
    } catch (TargetUnavailableException e) {
      return unavailable(e);
    }
  }

  /** Sends a planned write; the plan's prior values must already be durable. */
  StepResult write(Step step, StepPlan.Write plan, ClosureKey key, SourceRecord record) {
    StepPlan.Write current = plan;
    try {
      for (int read = 0; read <= conflictRereads; read++) {
        WriteOutcome outcome = send(step, current, key, record);
        if (outcome.result() != null) {
          return outcome.result();
        }
        // Someone else changed the record since we read it: read again and decide again.
        StepPlan again = plan(step, key, record, true, null);
        if (again instanceof StepPlan.Settled settled) {
          return settled.result();
        }
        current = (StepPlan.Write) again;
      }
    } catch (TargetUnavailableException e) {
      return unavailable(e).result();
    }
    TargetSystem system = step.target() == null ? TargetSystem.TRACKER : step.target();
    return new StepResult.Unavailable(system, system.wireName() + " kept changing under us");
  }

  /** A result, or {@code null} result when the conditional write lost to another change. */
  private record WriteOutcome(StepResult result) {}

  private WriteOutcome send(Step step, StepPlan.Write plan, ClosureKey key, SourceRecord record) {
    if (plan instanceof StepPlan.ReviewStateWrite w) {
      BookkeepingRecord current = w.current();
      WriteResult result =
          w.target()
              .setReviewState(
                  current.recordId(), w.desired(), current.revision(), key.keyFor(step));
      return switch (result) {
        case APPLIED, REPLAYED ->
            done(
                new TargetSnapshot(
                    w.system(),
                    current.recordId(),
                    w.desired().status(),
                    w.desired().dispositionVersion(),
                    w.desired().closedAt(),
                    uris(current.archiveRefs()),
                    current.revision() + 1));
        case NOT_FOUND ->
            new WriteOutcome(conflict(w.system(), current.recordId(), "record no longer exists"));
        case REVISION_CONFLICT -> new WriteOutcome(null);
      };
    }
    if (plan instanceof StepPlan.LinkWrite w) {
      for (Linkable entry :
          List.of(
              new Linkable(TargetSystem.TRACKER, targets.tracker(), w.tracker()),
              new Linkable(TargetSystem.LEDGER, targets.ledger(), w.ledger()))) {
        long revision = entry.record().revision();
        for (ArchiveRef ref : missingLinks(entry.record(), record)) {
          IdempotencyKey linkKey =
              key.keyFor(Step.ARCHIVE_LINK).qualified(entry.system().wireName() + ":" + ref.uri());
          WriteResult result =
              entry.target().linkArchiveRef(entry.record().recordId(), ref, revision, linkKey);
          if (result == WriteResult.NOT_FOUND) {
            return new WriteOutcome(
                conflict(entry.system(), entry.record().recordId(), "record no longer exists"));
          }
          if (result == WriteResult.REVISION_CONFLICT) {
            return new WriteOutcome(null);
          }
          revision++;
        }
      }
      // Every link is in: one more read confirms them and yields the snapshots written.
      return new WriteOutcome(null);
    }
    if (plan instanceof StepPlan.QueueWrite w) {
      QueueItem item = w.item();
      WriteResult result =
          targets
              .queue()
              .close(item.itemId(), record.finalizedAt(), item.revision(), key.keyFor(step));
      return switch (result) {
        case APPLIED, REPLAYED ->
            done(
                new TargetSnapshot(
                    TargetSystem.QUEUE,
                    item.itemId(),
                    QueueItem.CLOSED,
                    null,
                    record.finalizedAt(),
                    List.of(),
                    item.revision() + 1));
        case NOT_FOUND ->
            new WriteOutcome(conflict(TargetSystem.QUEUE, item.itemId(), "item no longer exists"));
        case REVISION_CONFLICT -> new WriteOutcome(null);
      };
    }
    if (plan instanceof StepPlan.NoticeWrite w) {
      WriteResult result = targets.coordinator().post(w.notice(), key.keyFor(step));
      if (result == WriteResult.APPLIED || result == WriteResult.REPLAYED) {
        return done(
            new TargetSnapshot(
                TargetSystem.NOTIFICATION,
                targets.coordinator().name(),
                w.notice().kind().name(),
                w.notice().dispositionVersion(),
                null,
                List.of(),
                0));
      }
      return new WriteOutcome(
          new StepResult.Unavailable(TargetSystem.NOTIFICATION, "notice refused: " + result));
    }
    throw new IllegalArgumentException("unknown plan " + plan);
  }

  private StepPlan planReviewState(
      BookkeepingTarget target,
      TargetSystem system,
      ClosureKey key,
      SourceRecord record,
      boolean attempted) {
    ReviewState desired =
        ReviewState.reviewComplete(key.dispositionVersion(), record.finalizedAt());
    Optional<BookkeepingRecord> found = target.findByEscalation(key.escalationId());
    if (found.isEmpty()) {
      return settled(conflict(system, key.escalationId().value(), "record no longer exists"));
    }
    BookkeepingRecord current = found.get();
    Optional<String> unexpected = unexpectedState(current, key, record);
    if (unexpected.isPresent()) {
      return settled(conflict(system, current.recordId(), unexpected.get()));
    }
    if (current.reviewState().equals(desired)) {
      return settled(
          attempted
              ? new StepResult.Applied(List.of(snapshot(system, current)))
              : new StepResult.AlreadyDone(system, current.recordId()));
    }
    return new StepPlan.ReviewStateWrite(target, system, current, desired);
  }

  /** A target holding another episode or a newer version is not ours to overwrite. */
  private static Optional<String> unexpectedState(
      BookkeepingRecord current, ClosureKey key, SourceRecord record) {
    if (!Objects.equals(current.episodeId(), record.episodeId())) {
      return Optional.of("record holds episode " + current.episodeId());
    }
    Integer written = current.dispositionVersion();
    if (written != null && written > key.dispositionVersion()) {
      return Optional.of("record already at newer version " + written);
    }
    if (written != null
        && written == key.dispositionVersion()
        && current.closedAt() != null
        && !current.closedAt().equals(record.finalizedAt())) {
      return Optional.of("record closed at another time for this version");
    }
    return Optional.empty();
  }

  private StepPlan planLinks(ClosureKey key, SourceRecord record, boolean attempted) {
    Optional<BookkeepingRecord> tracker = targets.tracker().findByEscalation(key.escalationId());
    Optional<BookkeepingRecord> ledger = targets.ledger().findByEscalation(key.escalationId());
    if (tracker.isEmpty()) {
      return settled(conflict(TargetSystem.TRACKER, key.escalationId().value(), "record gone"));
    }
    if (ledger.isEmpty()) {
      return settled(conflict(TargetSystem.LEDGER, key.escalationId().value(), "record gone"));
    }
    for (var entry :
        List.of(
            new Linkable(TargetSystem.TRACKER, targets.tracker(), tracker.get()),
            new Linkable(TargetSystem.LEDGER, targets.ledger(), ledger.get()))) {
      if (!Objects.equals(entry.record().episodeId(), record.episodeId())) {
        return settled(
            conflict(
                entry.system(),
                entry.record().recordId(),
                "record holds episode " + entry.record().episodeId()));
      }
    }
    if (missingLinks(tracker.get(), record).isEmpty()
        && missingLinks(ledger.get(), record).isEmpty()) {
      return settled(
          attempted
              ? new StepResult.Applied(
                  List.of(
                      snapshot(TargetSystem.TRACKER, tracker.get()),
                      snapshot(TargetSystem.LEDGER, ledger.get())))
              : new StepResult.AlreadyDone(TargetSystem.TRACKER, tracker.get().recordId()));
    }
    return new StepPlan.LinkWrite(tracker.get(), ledger.get());
  }

  private record Linkable(
      TargetSystem system, BookkeepingTarget target, BookkeepingRecord record) {}

  private static List<ArchiveRef> missingLinks(BookkeepingRecord current, SourceRecord record) {
    return record.archiveRefs().stream().filter(ref -> !current.hasLink(ref.uri())).toList();
  }

  private StepPlan planQueueClose(ClosureKey key, SourceRecord record, boolean attempted) {
    Optional<QueueItem> found = targets.queue().findByEscalation(key.escalationId());
    if (found.isEmpty()) {
      return settled(
          conflict(TargetSystem.QUEUE, key.escalationId().value(), "item no longer exists"));
    }
    QueueItem item = found.get();
    if (!Objects.equals(item.episodeId(), record.episodeId())) {
      return settled(
          conflict(TargetSystem.QUEUE, item.itemId(), "item holds episode " + item.episodeId()));
    }
    if (QueueItem.CLOSED.equals(item.status())) {
      return settled(
          attempted
              ? new StepResult.Applied(List.of(snapshot(item)))
              : new StepResult.AlreadyDone(TargetSystem.QUEUE, item.itemId()));
    }
    return new StepPlan.QueueWrite(item);
  }

  static TargetSnapshot snapshot(TargetSystem system, BookkeepingRecord record) {
    return new TargetSnapshot(
        system,
        record.recordId(),
        record.status(),
        record.dispositionVersion(),
        record.closedAt(),
        uris(record.archiveRefs()),
        record.revision());
  }

  static TargetSnapshot snapshot(QueueItem item) {
    return new TargetSnapshot(
        TargetSystem.QUEUE,
        item.itemId(),
        item.status(),
        null,
        item.closedAt(),
        List.of(),
        item.revision());
  }

  private static List<String> uris(List<ArchiveRef> refs) {
    return refs.stream().map(ArchiveRef::uri).toList();
  }

  private static WriteOutcome done(TargetSnapshot written) {
    return new WriteOutcome(new StepResult.Applied(List.of(written)));
  }

  private static StepPlan.Settled settled(StepResult result) {
    return new StepPlan.Settled(result);
  }

  private static StepPlan.Settled unavailable(TargetUnavailableException e) {
    return settled(
        new StepResult.Unavailable(
            e.system(), e.system().wireName() + " unavailable", e.retryAfter().orElse(null)));
  }

  private static StepResult conflict(TargetSystem system, String recordId, String detail) {
    return new StepResult.Conflict(system, recordId, detail);
  }
}
