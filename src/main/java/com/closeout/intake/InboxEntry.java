package com.closeout.intake;

import com.closeout.domain.EventOutcome;
import java.time.Instant;

/** One accepted event id, and what became of it. */
public record InboxEntry(
    String eventId,
    String type,
    String escalationId,
    Integer dispositionVersion,
    Instant receivedAt,
    EventOutcome outcome,
    Long closureId) {}
