package com.closeout.sandbox.http;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import com.closeout.domain.SourceRecord;
import com.closeout.domain.SourceStatus;
import com.closeout.sandbox.RestrictedContent;
import com.closeout.targets.rest.ContractBodies.ArchiveRefBody;
import java.time.Instant;
import java.util.List;

/** The JSON bodies of the sandbox's admin endpoints: set-up and faults, not the contract. */
final class AdminBodies {
  private AdminBodies() {}

  /** A review record as the source holds it, restricted fields included (SPEC §3). */
  record Review(
      String escalationId,
      String episodeId,
      String severity,
      String status,
      String disposition,
      int dispositionVersion,
      String finalizedAt,
      List<ArchiveRefBody> archiveRefs,
      String customerTranscript,
      String concessionNotes,
      String reviewerDiscussion,
      Contact customerContact) {

    static Review of(SourceRecord r, RestrictedContent restricted) {
      RestrictedContent content = restricted == null ? RestrictedContent.NONE : restricted;
      return new Review(
          r.escalationId().value(),
          r.episodeId() == null ? null : r.episodeId().value(),
          r.severity(),
          r.status() == null ? null : r.status().name(),
          r.disposition(),
          r.dispositionVersion(),
          r.finalizedAt() == null ? null : r.finalizedAt().toString(),
          r.archiveRefs().stream()
              .map(ref -> new ArchiveRefBody(ref.kind(), ref.uri(), ref.sha256()))
              .toList(),
          content.customerTranscript(),
          content.concessionNotes(),
          content.reviewerDiscussion(),
          new Contact(content.contactName(), content.contactEmail()));
    }

    SourceRecord record() {
      return new SourceRecord(
          new EscalationId(escalationId),
          episodeId == null ? null : new EpisodeId(episodeId),
          severity,
          status == null ? null : SourceStatus.valueOf(status),
          disposition,
          dispositionVersion,
          finalizedAt == null ? null : Instant.parse(finalizedAt),
          archiveRefs == null
              ? List.of()
              : archiveRefs.stream()
                  .map(ref -> new ArchiveRef(ref.kind(), ref.uri(), ref.sha256()))
                  .toList());
    }

    RestrictedContent restricted() {
      return new RestrictedContent(
          customerTranscript,
          concessionNotes,
          reviewerDiscussion,
          customerContact == null ? null : customerContact.name(),
          customerContact == null ? null : customerContact.email());
    }

    /** Never prints the restricted values. */
    @Override
    public String toString() {
      return "Review[" + escalationId + ", restricted fields redacted]";
    }
  }

  record Contact(String name, String email) {
    @Override
    public String toString() {
      return "Contact[redacted]";
    }
  }

  record ArchiveEntry(String uri, String sha256) {}

  /** A sandbox fault (SPEC §7.1): system and kind by their scenario names. */
  record Fault(String system, String kind, int failures) {}

  /** A scripted HTTP status for the next {@code times} calls to a system. */
  record Response(String system, int status, int times, Integer retryAfterSeconds) {}

  record Latency(String system, long millis) {}

  record Texts(List<String> texts) {}
}
