package com.closeout.verification;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.ClosureKey;
import com.closeout.domain.EpisodeId;
import java.util.List;

/** What the event claimed, which the source record must confirm before any write. */
public record VerificationClaim(
    ClosureKey key,
    EpisodeId episodeId,
    List<ArchiveRef> archiveRefs,
    List<String> requestedActions) {
  public VerificationClaim {
    archiveRefs = List.copyOf(archiveRefs);
    requestedActions = List.copyOf(requestedActions);
  }
}
