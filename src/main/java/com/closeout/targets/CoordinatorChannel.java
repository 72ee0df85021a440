package com.closeout.targets;

import com.closeout.domain.IdempotencyKey;

/**
 * The ops notification channel to the internal support operations coordinator. It takes only a
 * {@link CoordinatorNotice}; it has no way to address a customer.
 *
 * @throws TargetUnavailableException when the channel does not answer
 */
public interface CoordinatorChannel {
  /** The channel's name as audited, e.g. {@code ops-coordinator}. */
  String name();

  WriteResult post(CoordinatorNotice notice, IdempotencyKey key);
}
