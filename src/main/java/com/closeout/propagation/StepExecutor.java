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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs the external steps of SPEC §5 against the targets: read the current state, skip what is
 * already done, record the prior values, then write conditionally on the revision read with the
 * step's idempotency key. A revision conflict is re-read a bounded number of times.
 */
final class StepExecutor {
  private final TargetPorts targets;
  private final int conflictRereads;

  StepExecutor(TargetPorts targets, int conflictRereads) {
    this.targets = targets;
    this.conflictRereads = conflictRereads;
  }

  /**
   * @param alreadyAttempted prior values were recorded by an earlier attempt, so the target in the
   *     desired state most likely holds Closeout's own write whose answer was lost
   */
  StepResult execute(
      Step step,
      ClosureKey key,
      SourceRecord record,
      boolean alreadyAttempted,
      PriorRecorder priors) {
    try {
      return switch (step) {
        case TRACKER_SYNC ->
            syncReviewState(
                targets.tracker(), TargetSystem.TRACKER, key, record, alreadyAttempted, priors);
        case LEDGER_SYNC ->
            syncReviewState(
                targets.ledger(), TargetSystem.LEDGER, key, record, alreadyAttempted, priors);
        case ARCHIVE_LINK -> linkArchive(key, record, alreadyAttempted, priors);
        case QUEUE_CLOSE -> closeQueueItem(key, record, alreadyAttempted, priors);
        case COORDINATOR_NOTIFY, COMPLETION_RECORD ->
            throw new IllegalArgumentException(step + " is not a target step");
      };
    } catch (TargetUnavailableException e) {
      return new StepResult.Unavailable(e.system(), e.system().wireName() + " unavailable");
    }
  }

  StepResult notifyCoordinator(CoordinatorNotice notice, IdempotencyKey key) {
    try {
      WriteResult result = targets.coordinator().post(notice, key);
      if (result == WriteResult.APPLIED || result == WriteResult.REPLAYED) {
        return new StepResult.Applied(
            List.of(
                new TargetSnapshot(
                    TargetSystem.NOTIFICATION,
                    targets.coordinator().name(),
                    notice.kind().name(),
                    notice.dispositionVersion(),
                    null,
                    List.of(),
                    0)));
      }
      return new StepResult.Unavailable(TargetSystem.NOTIFICATION, "notice refused: " + result);
    } catch (TargetUnavailableException e) {
      return new StepResult.Unavailable(e.system(), "notification unavailable");
    }
  }

  private StepResult syncReviewState(
      BookkeepingTarget target,
      TargetSystem system,
      ClosureKey key,
      SourceRecord record,
      boolean alreadyAttempted,
      PriorRecorder priors) {
    ReviewState desired =
        ReviewState.reviewComplete(key.dispositionVersion(), record.finalizedAt());
    for (int read = 0; read <= conflictRereads; read++) {
      Optional<BookkeepingRecord> found = target.findByEscalation(key.escalationId());
      if (found.isEmpty()) {
        return conflict(system, key.escalationId().value(), "record no longer exists");
      }
      BookkeepingRecord current = found.get();
      Optional<String> unexpected = unexpectedState(current, key, record);
      if (unexpected.isPresent()) {
        return conflict(system, current.recordId(), unexpected.get());
      }
      if (current.reviewState().equals(desired)) {
        return alreadyAttempted
            ? new StepResult.Applied(List.of(snapshot(system, current)))
            : new StepResult.AlreadyDone(system, current.recordId());
      }
      priors.record(List.of(snapshot(system, current)));
      WriteResult result =
          target.setReviewState(
              current.recordId(), desired, current.revision(), key.keyFor(stepOf(system)));
      switch (result) {
        case APPLIED, REPLAYED -> {
          return new StepResult.Applied(
              List.of(
                  new TargetSnapshot(
                      system,
                      current.recordId(),
                      desired.status(),
                      desired.dispositionVersion(),
                      desired.closedAt(),
                      uris(current.archiveRefs()),
                      current.revision() + 1)));
        }
        case NOT_FOUND -> {
          return conflict(system, current.recordId(), "record no longer exists");
        }
        case REVISION_CONFLICT -> {
          // Someone else changed the record since we read it: read again and decide again.
        }
      }
    }
    return new StepResult.Unavailable(system, system.wireName() + " kept changing under us");
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

  private StepResult linkArchive(
      ClosureKey key, SourceRecord record, boolean alreadyAttempted, PriorRecorder priors) {
    List<TargetSnapshot> written = new ArrayList<>();
    boolean wroteAny = false;
    for (int read = 0; read <= conflictRereads; read++) {
      Optional<BookkeepingRecord> tracker = targets.tracker().findByEscalation(key.escalationId());
      Optional<BookkeepingRecord> ledger = targets.ledger().findByEscalation(key.escalationId());
      if (tracker.isEmpty()) {
        return conflict(TargetSystem.TRACKER, key.escalationId().value(), "record gone");
      }
      if (ledger.isEmpty()) {
        return conflict(TargetSystem.LEDGER, key.escalationId().value(), "record gone");
      }
      for (var entry :
          List.of(
              new Linkable(TargetSystem.TRACKER, targets.tracker(), tracker.get()),
              new Linkable(TargetSystem.LEDGER, targets.ledger(), ledger.get()))) {
        if (!Objects.equals(entry.record().episodeId(), record.episodeId())) {
          return conflict(
              entry.system(),
              entry.record().recordId(),
              "record holds episode " + entry.record().episodeId());
        }
      }
      if (missingLinks(tracker.get(), record).isEmpty()
          && missingLinks(ledger.get(), record).isEmpty()) {
        if (wroteAny || alreadyAttempted) {
          written.clear();
          written.add(snapshot(TargetSystem.TRACKER, tracker.get()));
          written.add(snapshot(TargetSystem.LEDGER, ledger.get()));
          return new StepResult.Applied(written);
        }
        return new StepResult.AlreadyDone(TargetSystem.TRACKER, tracker.get().recordId());
      }
      priors.record(
          List.of(
              snapshot(TargetSystem.TRACKER, tracker.get()),
              snapshot(TargetSystem.LEDGER, ledger.get())));
      boolean conflicted = false;
      for (var entry :
          List.of(
              new Linkable(TargetSystem.TRACKER, targets.tracker(), tracker.get()),
              new Linkable(TargetSystem.LEDGER, targets.ledger(), ledger.get()))) {
        long revision = entry.record().revision();
        for (ArchiveRef ref : missingLinks(entry.record(), record)) {
          IdempotencyKey linkKey =
              key.keyFor(Step.ARCHIVE_LINK).qualified(entry.system().wireName() + ":" + ref.uri());
          WriteResult result =
              entry.target().linkArchiveRef(entry.record().recordId(), ref, revision, linkKey);
          if (result == WriteResult.APPLIED || result == WriteResult.REPLAYED) {
            revision++;
            wroteAny = true;
          } else if (result == WriteResult.NOT_FOUND) {
            return conflict(entry.system(), entry.record().recordId(), "record no longer exists");
          } else {
            conflicted = true;
            break;
          }
        }
      }
      if (!conflicted) {
        // Re-read on the next pass confirms every link and yields the snapshots written.
        continue;
      }
    }
    return new StepResult.Unavailable(TargetSystem.TRACKER, "archive links kept conflicting");
  }

  private record Linkable(
      TargetSystem system, BookkeepingTarget target, BookkeepingRecord record) {}

  private static List<ArchiveRef> missingLinks(BookkeepingRecord current, SourceRecord record) {
    return record.archiveRefs().stream().filter(ref -> !current.hasLink(ref.uri())).toList();
  }

  private StepResult closeQueueItem(
      ClosureKey key, SourceRecord record, boolean alreadyAttempted, PriorRecorder priors) {
    Instant closedAt = record.finalizedAt();
    for (int read = 0; read <= conflictRereads; read++) {
      Optional<QueueItem> found = targets.queue().findByEscalation(key.escalationId());
      if (found.isEmpty()) {
        return conflict(TargetSystem.QUEUE, key.escalationId().value(), "item no longer exists");
      }
      QueueItem item = found.get();
      if (!Objects.equals(item.episodeId(), record.episodeId())) {
        return conflict(
            TargetSystem.QUEUE, item.itemId(), "item holds episode " + item.episodeId());
      }
      if (QueueItem.CLOSED.equals(item.status())) {
        return alreadyAttempted
            ? new StepResult.Applied(List.of(snapshot(item)))
            : new StepResult.AlreadyDone(TargetSystem.QUEUE, item.itemId());
      }
      priors.record(List.of(snapshot(item)));
      WriteResult result =
          targets
              .queue()
              .close(item.itemId(), closedAt, item.revision(), key.keyFor(Step.QUEUE_CLOSE));
      switch (result) {
        case APPLIED, REPLAYED -> {
          return new StepResult.Applied(
              List.of(
                  new TargetSnapshot(
                      TargetSystem.QUEUE,
                      item.itemId(),
                      QueueItem.CLOSED,
                      null,
                      closedAt,
                      List.of(),
                      item.revision() + 1)));
        }
        case NOT_FOUND -> {
          return conflict(TargetSystem.QUEUE, item.itemId(), "item no longer exists");
        }
        case REVISION_CONFLICT -> {
          // Re-read and decide again.
        }
      }
    }
    return new StepResult.Unavailable(TargetSystem.QUEUE, "queue item kept changing under us");
  }

  private static Step stepOf(TargetSystem system) {
    return system == TargetSystem.TRACKER ? Step.TRACKER_SYNC : Step.LEDGER_SYNC;
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

  private static StepResult conflict(TargetSystem system, String recordId, String detail) {
    return new StepResult.Conflict(system, recordId, detail);
  }
}
