package com.closeout.targets;

import com.closeout.domain.EpisodeId;
import com.closeout.domain.EscalationId;
import java.time.Instant;

/** A post-review queue item (SPEC §3). */
public record QueueItem(
    String itemId,
    EscalationId escalationId,
    EpisodeId episodeId,
    String status,
    Instant closedAt,
    long revision) {
  public static final String OPEN = "OPEN";
  public static final String CLOSED = "CLOSED";
}
