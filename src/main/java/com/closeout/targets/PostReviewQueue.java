package com.closeout.targets;

import com.closeout.domain.EscalationId;
import com.closeout.domain.IdempotencyKey;
import java.time.Instant;
import java.util.Optional;

/**
 * The restricted post-review queue: Closeout may only close the item holding the escalation, and
 * put it back as it was when an operator reverts that closure.
 *
 * @throws TargetUnavailableException from any method when the system does not answer
 */
public interface PostReviewQueue {
  Optional<QueueItem> findByEscalation(EscalationId escalationId);

  WriteResult close(String itemId, Instant closedAt, long expectedRevision, IdempotencyKey key);

  /** Revert only: the item returns to OPEN with no closing time. */
  WriteResult restoreOpen(String itemId, long expectedRevision, IdempotencyKey key);
}
