package com.closeout.targets.notice;

import com.closeout.domain.IdempotencyKey;
import com.closeout.targets.CoordinatorNotice;
import java.time.Instant;

/**
 * Closeout's own record of each notice it tried to post, keyed by the step's idempotency key: a
 * chat API is not idempotent, so duplicates are suppressed here. A record holds the key, the
 * channel, the state and the times — never the message text. Each call is its own transaction,
 * committed before it returns, so a crash between a post and its confirmation leaves {@code
 * ATTEMPTING} behind for the next attempt to resolve.
 */
public interface NoticeDeliveries {

  /**
   * Records {@code ATTEMPTING} for the key unless it has a record already; says which it was.
   *
   * @param channel the channel's audited name
   */
  Claim claim(IdempotencyKey key, String channel);

  /** The post was confirmed: {@code ATTEMPTING} becomes {@code DELIVERED}. */
  void delivered(IdempotencyKey key);

  /**
   * Drops an {@code ATTEMPTING} record whose post certainly did not reach the channel (refused,
   * throttled, never connected), so the next attempt posts as if for the first time.
   */
  void release(IdempotencyKey key);

  /**
   * At-most-once for a channel that cannot be read back: an earlier post's outcome stays unknown
   * and the notice is not posted again. {@code ATTEMPTING} becomes {@code UNCONFIRMED}, and the
   * audit trail gets an entry saying the notice may be missing.
   */
  void unconfirmed(IdempotencyKey key, CoordinatorNotice notice, String channel);

  /** What the record said when a post began. */
  sealed interface Claim {
    /** No record existed: this call recorded {@code ATTEMPTING} and posts for the first time. */
    record Claimed() implements Claim {}

    /** An earlier post's outcome is unknown (its answer was lost, or the worker crashed). */
    record Attempting(Instant since) implements Claim {}

    /** The notice was posted and confirmed. */
    record Delivered() implements Claim {}

    /** The notice was given up on as unconfirmed (at-most-once); it is never posted again. */
    record Unconfirmed() implements Claim {}
  }
}
