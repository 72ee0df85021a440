package com.closeout.targets;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import java.time.Instant;
import java.util.List;

/** A tracker or ledger record as read (SPEC §3 target records). */
public record BookkeepingRecord(
    String recordId,
    EscalationId escalationId,
    EpisodeId episodeId,
    String status,
    Integer dispositionVersion,
    Instant closedAt,
    List<ArchiveRef> archiveRefs,
    long revision) {
  public BookkeepingRecord {
    archiveRefs = archiveRefs == null ? List.of() : List.copyOf(archiveRefs);
  }

  public ReviewState reviewState() {
    return new ReviewState(status, dispositionVersion, closedAt);
  }

  public boolean hasLink(String uri) {
    return archiveRefs.stream().anyMatch(ref -> ref.uri().equals(uri));
  }
}
