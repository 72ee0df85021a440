package com.closeout.targets.rest;

import static com.closeout.targets.rest.ContractClient.query;
import static com.closeout.targets.rest.ContractClient.segment;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.EscalationId;
import com.closeout.domain.IdempotencyKey;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.BookkeepingTarget;
import com.closeout.targets.ReviewState;
import com.closeout.targets.WriteResult;
import com.closeout.targets.rest.ContractBodies.ArchiveRefBody;
import com.closeout.targets.rest.ContractBodies.BookkeepingRecordBody;
import com.closeout.targets.rest.ContractBodies.ReviewStateBody;
import java.util.Optional;

/** Tracker or ledger over the reference contract; the two differ only in their path prefix. */
abstract class RestBookkeepingTarget implements BookkeepingTarget {
  private final ContractClient client;
  private final String prefix;

  RestBookkeepingTarget(ContractClient client, String prefix) {
    this.client = client;
    this.prefix = prefix;
  }

  @Override
  public Optional<BookkeepingRecord> findByEscalation(EscalationId escalationId) {
    return client.getOptional(
        prefix + "/records/by-escalation/" + segment(escalationId.value()),
        BookkeepingRecordBody.class,
        BookkeepingRecordBody::toRecord);
  }

  @Override
  public WriteResult setReviewState(
      String recordId, ReviewState state, long expectedRevision, IdempotencyKey key) {
    return client
        .write(
            "PATCH",
            prefix + "/records/" + segment(recordId) + "/review-state",
            ContractBodies.write(ReviewStateBody.of(state)),
            expectedRevision,
            key)
        .writeResult();
  }

  @Override
  public WriteResult linkArchiveRef(
      String recordId, ArchiveRef ref, long expectedRevision, IdempotencyKey key) {
    return client
        .write(
            "POST",
            prefix + "/records/" + segment(recordId) + "/archive-links",
            ContractBodies.write(ArchiveRefBody.of(ref)),
            expectedRevision,
            key)
        .writeResult();
  }

  @Override
  public WriteResult unlinkArchiveRef(
      String recordId, String uri, long expectedRevision, IdempotencyKey key) {
    return client
        .write(
            "DELETE",
            prefix + "/records/" + segment(recordId) + "/archive-links?uri=" + query(uri),
            null,
            expectedRevision,
            key)
        .writeResult();
  }
}
