package com.closeout.targets;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.EscalationId;
import com.closeout.domain.IdempotencyKey;
import java.util.Optional;

/**
 * What Closeout may do on the escalation tracker and the case ledger (SPEC §1): read, set the
 * review-complete state, link archive references, and undo exactly those for a revert. Every write
 * is conditional on the revision read and carries an idempotency key.
 *
 * @throws TargetUnavailableException from any method when the system does not answer
 */
public interface BookkeepingTarget {
  Optional<BookkeepingRecord> findByEscalation(EscalationId escalationId);

  WriteResult setReviewState(
      String recordId, ReviewState state, long expectedRevision, IdempotencyKey key);

  WriteResult linkArchiveRef(
      String recordId, ArchiveRef ref, long expectedRevision, IdempotencyKey key);

  /** Revert only: removes a link Closeout added. */
  WriteResult unlinkArchiveRef(
      String recordId, String uri, long expectedRevision, IdempotencyKey key);
}
