package com.closeout.verification;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.ClosureKey;
import com.closeout.domain.DispositionEvent;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.FollowUpReason;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.SourceStatus;
import com.closeout.domain.TargetSystem;
import com.closeout.domain.Verdict;
import com.closeout.targets.ArchiveObject;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.QueueItem;
import com.closeout.targets.TargetPorts;
import com.closeout.targets.TargetUnavailableException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The gate before any write (SPEC §4, from "record exists" on; the two duplicate checks belong to
 * intake). It re-reads the source record and the targets' mappings and runs the checks in the order
 * of the spec's table: the first that fails decides.
 */
public final class SourceVerifier {
  private final TargetPorts targets;
  private final CompletedClosures completed;

  public SourceVerifier(TargetPorts targets, CompletedClosures completed) {
    this.targets = targets;
    this.completed = completed;
  }

  public Verdict verify(VerificationClaim claim) {
    try {
      return decide(claim);
    } catch (TargetUnavailableException e) {
      return new Verdict.RetryLater(
          FollowUpReason.RETRIES_EXHAUSTED,
          e.system(),
          e.system().wireName() + " unavailable",
          e.retryAfter().orElse(null));
    }
  }

  private Verdict decide(VerificationClaim claim) {
    ClosureKey key = claim.key();
    Optional<SourceRecord> read = targets.review().readEscalation(key.escalationId());
    if (read.isEmpty()) {
      return followUp(FollowUpReason.SOURCE_RECORD_MISSING, TargetSystem.REVIEW, null, null);
    }
    SourceRecord record = read.get();
    int recordVersion = record.dispositionVersion();
    if (record.status() != SourceStatus.FINAL) {
      FollowUpReason reason =
          record.status() == SourceStatus.REOPENED
              ? FollowUpReason.REOPENED
              : FollowUpReason.NOT_FINAL;
      return followUp(reason, TargetSystem.REVIEW, recordVersion, "status " + record.status());
    }
    if (!DispositionEvent.CLOSURE_APPROVED.equals(record.disposition())) {
      return followUp(FollowUpReason.DISPOSITION_CHANGED, TargetSystem.REVIEW, recordVersion, null);
    }
    if (recordVersion > key.dispositionVersion()) {
      if (completed.isCompleted(new ClosureKey(key.escalationId(), recordVersion))) {
        return new Verdict.Stale(recordVersion);
      }
      return followUp(
          FollowUpReason.DISPOSITION_SUPERSEDED,
          TargetSystem.REVIEW,
          recordVersion,
          "record at version " + recordVersion);
    }
    if (recordVersion < key.dispositionVersion()) {
      return new Verdict.RetryLater(
          FollowUpReason.SOURCE_BEHIND,
          TargetSystem.REVIEW,
          "record at version " + recordVersion + ", event at " + key.dispositionVersion());
    }
    if (!claim.episodeId().equals(record.episodeId())) {
      return followUp(
          FollowUpReason.EPISODE_MISMATCH, TargetSystem.REVIEW, recordVersion, "event episode");
    }
    Optional<String> archiveProblem = archiveProblem(claim.archiveRefs(), record.archiveRefs());
    if (archiveProblem.isPresent()) {
      return followUp(
          FollowUpReason.ARCHIVE_MISMATCH,
          TargetSystem.ARCHIVE,
          recordVersion,
          archiveProblem.get());
    }
    Optional<BookkeepingRecord> tracker = targets.tracker().findByEscalation(key.escalationId());
    Optional<BookkeepingRecord> ledger = targets.ledger().findByEscalation(key.escalationId());
    Optional<QueueItem> queueItem = targets.queue().findByEscalation(key.escalationId());
    if (tracker.isEmpty()) {
      return followUp(FollowUpReason.MAPPING_MISSING, TargetSystem.TRACKER, recordVersion, null);
    }
    if (ledger.isEmpty()) {
      return followUp(FollowUpReason.MAPPING_MISSING, TargetSystem.LEDGER, recordVersion, null);
    }
    if (queueItem.isEmpty()) {
      return followUp(FollowUpReason.MAPPING_MISSING, TargetSystem.QUEUE, recordVersion, null);
    }
    EpisodeId episode = record.episodeId();
    if (!episode.equals(tracker.get().episodeId())) {
      return followUp(
          FollowUpReason.EPISODE_MISMATCH,
          TargetSystem.TRACKER,
          recordVersion,
          "tracker record " + tracker.get().recordId());
    }
    if (!episode.equals(ledger.get().episodeId())) {
      return followUp(
          FollowUpReason.EPISODE_MISMATCH,
          TargetSystem.LEDGER,
          recordVersion,
          "ledger record " + ledger.get().recordId());
    }
    if (!episode.equals(queueItem.get().episodeId())) {
      return followUp(
          FollowUpReason.EPISODE_MISMATCH,
          TargetSystem.QUEUE,
          recordVersion,
          "queue item " + queueItem.get().itemId());
    }
    return new Verdict.Proceed(record, claim.requestedActions());
  }

  /** The event's references must be the record's, and each must exist with that digest. */
  private Optional<String> archiveProblem(List<ArchiveRef> claimed, List<ArchiveRef> recorded) {
    Set<ArchiveRef> claimedSet = new HashSet<>(claimed);
    if (claimedSet.size() != claimed.size()
        || !claimedSet.equals(new HashSet<>(recorded))
        || claimed.size() != recorded.size()) {
      return Optional.of("event archive references differ from the record's");
    }
    for (ArchiveRef ref : recorded) {
      Optional<ArchiveObject> object = targets.archive().head(ref.uri());
      if (object.isEmpty()) {
        return Optional.of("not in archive: " + ref.uri());
      }
      if (!ref.sha256().equalsIgnoreCase(object.get().sha256())) {
        return Optional.of("digest differs: " + ref.uri());
      }
    }
    return Optional.empty();
  }

  private static Verdict followUp(
      FollowUpReason reason, TargetSystem system, Integer recordVersion, String detail) {
    return new Verdict.FollowUp(reason, system, recordVersion, detail);
  }
}
