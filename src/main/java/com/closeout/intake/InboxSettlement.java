package com.closeout.intake;

import com.closeout.domain.EventOutcome;

/** What became of an accepted event, once intake knows: the outcome and the closure it names. */
public record InboxSettlement(String eventId, EventOutcome outcome, Long closureId) {}
