package com.closeout.followup;

import com.closeout.domain.FollowUpReason;
import com.closeout.domain.TargetSystem;
import java.time.Instant;

/**
 * A durable request for a person: reason, escalation, event, versions seen and time. Only
 * identifiers and versions, never restricted content.
 */
public record FollowUp(
    long id,
    long closureId,
    String escalationId,
    String eventId,
    FollowUpReason reason,
    TargetSystem system,
    Integer eventVersion,
    Integer recordVersion,
    String detail,
    FollowUpStatus status,
    long revision,
    Instant createdAt,
    Instant resolvedAt,
    String resolutionComment) {}
