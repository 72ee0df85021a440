package com.closeout.followup;

import com.closeout.domain.FollowUpReason;
import com.closeout.domain.TargetSystem;
import java.time.Instant;

public record NewFollowUp(
    long closureId,
    String escalationId,
    String eventId,
    FollowUpReason reason,
    TargetSystem system,
    Integer eventVersion,
    Integer recordVersion,
    String detail,
    Instant createdAt) {}
