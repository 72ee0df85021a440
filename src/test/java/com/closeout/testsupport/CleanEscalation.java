package com.closeout.testsupport;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.DispositionEvent;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.EventId;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.SourceStatus;
import com.closeout.intake.IncomingEvent;
import com.closeout.sandbox.RestrictedContent;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.targets.ArchiveObject;
import com.closeout.targets.BookkeepingRecord;
import com.closeout.targets.QueueItem;
import java.time.Instant;
import java.util.List;

/**
 * A clean severity-one escalation: a final, closure-approved record at the source, open entries in
 * tracker, ledger and queue, both archive objects present — and the event that finalizes it.
 */
public record CleanEscalation(EscalationId id, int version, Instant finalizedAt) {
  public static final EpisodeId EPISODE = new EpisodeId("EP-1");

  public static CleanEscalation loadInto(SandboxSystems sandbox, String id, Instant finalizedAt) {
    CleanEscalation escalation = new CleanEscalation(new EscalationId(id), 1, finalizedAt);
    EscalationId key = escalation.id();
    sandbox.putReview(
        new SourceRecord(
            key,
            EPISODE,
            "SEV1",
            SourceStatus.FINAL,
            DispositionEvent.CLOSURE_APPROVED,
            1,
            finalizedAt,
            escalation.archiveRefs()),
        new RestrictedContent(
            "TRANSCRIPT-CANARY-" + id,
            "CONCESSION-CANARY-" + id,
            "REVIEWER-CANARY-" + id,
            "Contact CANARY " + id,
            "canary-" + id.toLowerCase() + "@customer.example"));
    sandbox.putTracker(
        new BookkeepingRecord(id, key, EPISODE, "IN_REVIEW", null, null, List.of(), 1));
    sandbox.putLedger(new BookkeepingRecord(id, key, EPISODE, "OPEN", null, null, List.of(), 1));
    sandbox.putQueueItem(new QueueItem("Q-" + id, key, EPISODE, QueueItem.OPEN, null, 1));
    escalation
        .archiveRefs()
        .forEach(ref -> sandbox.putArchiveObject(new ArchiveObject(ref.uri(), ref.sha256())));
    return escalation;
  }

  public List<ArchiveRef> archiveRefs() {
    return List.of(
        new ArchiveRef(
            "CLOSURE_PACKET", "archive://closure-packets/" + id + "/v1.pdf", "c".repeat(64)),
        new ArchiveRef("REVIEW_NOTE", "archive://review-notes/" + id + "/v1.md", "d".repeat(64)));
  }

  public IncomingEvent event(String eventId) {
    DispositionEvent event =
        new DispositionEvent(
            new EventId(eventId),
            "urn:support:review-board",
            finalizedAt,
            id,
            EPISODE,
            DispositionEvent.CLOSURE_APPROVED,
            version,
            finalizedAt,
            archiveRefs(),
            List.of());
    return new IncomingEvent(
        event.eventId(), DispositionEvent.FINALIZED_TYPE, event.source(), id.value(), event);
  }
}
