package com.closeout.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** A validated {@code support.review.disposition.finalized} event (SPEC §2). */
public record DispositionEvent(
    EventId eventId,
    String source,
    Instant time,
    EscalationId escalationId,
    EpisodeId episodeId,
    String disposition,
    int dispositionVersion,
    Instant finalizedAt,
    List<ArchiveRef> archiveRefs,
    List<String> requestedActions) {
  public static final String FINALIZED_TYPE = "support.review.disposition.finalized";
  public static final String CLOSURE_APPROVED = "CLOSURE_APPROVED";

  public DispositionEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(escalationId, "escalationId");
    Objects.requireNonNull(episodeId, "episodeId");
    archiveRefs = List.copyOf(archiveRefs);
    requestedActions = List.copyOf(requestedActions);
  }

  public ClosureKey closureKey() {
    return new ClosureKey(escalationId, dispositionVersion);
  }
}
