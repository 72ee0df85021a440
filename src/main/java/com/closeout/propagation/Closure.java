package com.closeout.propagation;

import com.closeout.domain.ArchiveRef;
import com.closeout.domain.ClosureKey;
import com.closeout.domain.ClosureStatus;
import com.closeout.domain.EpisodeId;
import com.closeout.domain.EventId;
import java.time.Instant;
import java.util.List;

/**
 * One closure: the propagation of one (escalation, disposition version). It keeps what the event
 * claimed, so every re-verification compares the source record against the same claim.
 *
 * @param attempts consecutive attempts that ended in a retry delay; reset by progress
 * @param sourceBehindReads re-reads that found the source older than the event
 */
public record Closure(
    long id,
    ClosureKey key,
    EventId eventId,
    EpisodeId eventEpisodeId,
    Instant eventFinalizedAt,
    List<ArchiveRef> eventArchiveRefs,
    List<String> requestedActions,
    ClosureStatus status,
    long revision,
    int attempts,
    int sourceBehindReads,
    Instant nextAttemptAt,
    String leaseOwner,
    Instant leaseUntil,
    Instant createdAt,
    Instant updatedAt) {
  public Closure {
    eventArchiveRefs = List.copyOf(eventArchiveRefs);
    requestedActions = List.copyOf(requestedActions);
  }
}
