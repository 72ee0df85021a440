package com.closeout.targets.rest;

import static com.closeout.targets.rest.ContractClient.query;
import static com.closeout.targets.rest.ContractClient.segment;

import com.closeout.domain.EscalationId;
import com.closeout.domain.SourceRecord;
import com.closeout.targets.ReviewSystem;
import com.closeout.targets.TargetUnavailableException;
import com.closeout.targets.rest.ContractBodies.MalformedBodyException;
import com.closeout.targets.rest.ContractBodies.ReviewPageBody;
import com.closeout.targets.rest.ContractBodies.ReviewRecordBody;
import java.util.List;
import java.util.Optional;

/**
 * The review system over the reference contract. The record is parsed into {@link
 * ReviewRecordBody}, which has no restricted field: the transcript, concession notes, reviewer
 * discussion and customer contact a review system sends are skipped by the parser and never exist
 * as values in Closeout.
 */
public final class RestReviewSystem implements ReviewSystem {
  private final ContractClient client;

  public RestReviewSystem(ContractClient client) {
    this.client = client;
  }

  @Override
  public Optional<SourceRecord> readEscalation(EscalationId escalationId) {
    ContractClient.Answer answer =
        client.get("/review/escalations/" + segment(escalationId.value()));
    if (answer.notFound()) {
      return Optional.empty();
    }
    requireOk(answer);
    return Optional.of(parse(answer.body()));
  }

  @Override
  public List<SourceRecord> finalizedAfter(FinalizedCursor after, int limit) {
    ContractClient.Answer answer =
        client.get(
            "/review/finalized-escalations?finalizedAfter="
                + query(after.finalizedAt().toString())
                + "&afterEscalationId="
                + query(after.escalationId())
                + "&limit="
                + limit);
    requireOk(answer);
    try {
      ReviewPageBody page = ContractBodies.read(answer.body(), ReviewPageBody.class);
      List<ReviewRecordBody> items = page.items() == null ? List.of() : page.items();
      return ContractBodies.convert(
          ReviewPageBody.class, () -> items.stream().map(ReviewRecordBody::toRecord).toList());
    } catch (MalformedBodyException e) {
      throw malformed(e);
    }
  }

  private SourceRecord parse(byte[] body) {
    try {
      ReviewRecordBody parsed = ContractBodies.read(body, ReviewRecordBody.class);
      return ContractBodies.convert(ReviewRecordBody.class, parsed::toRecord);
    } catch (MalformedBodyException e) {
      throw malformed(e);
    }
  }

  private void requireOk(ContractClient.Answer answer) {
    if (!answer.ok()) {
      throw new TargetUnavailableException(
          client.system(), "HTTP " + answer.status() + " on a read", false);
    }
  }

  private TargetUnavailableException malformed(MalformedBodyException e) {
    return new TargetUnavailableException(client.system(), e.getMessage(), false);
  }
}
