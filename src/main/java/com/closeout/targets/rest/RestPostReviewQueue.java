package com.closeout.targets.rest;

import static com.closeout.targets.rest.ContractClient.segment;

import com.closeout.domain.EscalationId;
import com.closeout.domain.IdempotencyKey;
import com.closeout.targets.PostReviewQueue;
import com.closeout.targets.QueueItem;
import com.closeout.targets.WriteResult;
import com.closeout.targets.rest.ContractBodies.CloseBody;
import com.closeout.targets.rest.ContractBodies.QueueItemBody;
import java.time.Instant;
import java.util.Optional;

/** The post-review queue over the reference contract: read, close, and restore for a revert. */
public final class RestPostReviewQueue implements PostReviewQueue {
  private final ContractClient client;

  public RestPostReviewQueue(ContractClient client) {
    this.client = client;
  }

  @Override
  public Optional<QueueItem> findByEscalation(EscalationId escalationId) {
    return client.getOptional(
        "/queue/items/by-escalation/" + segment(escalationId.value()),
        QueueItemBody.class,
        QueueItemBody::toItem);
  }

  @Override
  public WriteResult close(
      String itemId, Instant closedAt, long expectedRevision, IdempotencyKey key) {
    return client
        .write(
            "POST",
            "/queue/items/" + segment(itemId) + "/close",
            ContractBodies.write(new CloseBody(closedAt.toString())),
            expectedRevision,
            key)
        .writeResult();
  }

  @Override
  public WriteResult restoreOpen(String itemId, long expectedRevision, IdempotencyKey key) {
    return client
        .write("POST", "/queue/items/" + segment(itemId) + "/restore", null, expectedRevision, key)
        .writeResult();
  }
}
