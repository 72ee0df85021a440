package com.closeout.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The review system's escalation record as Closeout sees it. The restricted fields of SPEC §3
 * (transcript, concession notes, reviewer discussion, customer contact) are deliberately absent:
 * the review adapter drops them before anything else can see them.
 */
public record SourceRecord(
    EscalationId escalationId,
    EpisodeId episodeId,
    String severity,
    SourceStatus status,
    String disposition,
    int dispositionVersion,
    Instant finalizedAt,
    List<ArchiveRef> archiveRefs) {
  public SourceRecord {
    Objects.requireNonNull(escalationId, "escalationId");
    archiveRefs = archiveRefs == null ? List.of() : List.copyOf(archiveRefs);
  }
}
