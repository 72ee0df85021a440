package com.closeout.audit;

import com.closeout.domain.TargetSystem;

/**
 * What a caller asks the audit trail to append; sequence, time and hashes are added by the trail.
 * Only identifiers, versions and codes: never restricted content.
 */
public record AuditRecord(
    String eventId,
    String escalationId,
    Integer dispositionVersion,
    AuditAction action,
    TargetSystem targetSystem,
    String targetRecordId,
    boolean skippedAsDone,
    String notificationTarget,
    String detail) {

  public static AuditRecord of(
      String eventId, String escalationId, Integer version, AuditAction action) {
    return new AuditRecord(eventId, escalationId, version, action, null, null, false, null, null);
  }

  public AuditRecord target(TargetSystem system, String recordId) {
    return new AuditRecord(
        eventId,
        escalationId,
        dispositionVersion,
        action,
        system,
        recordId,
        skippedAsDone,
        notificationTarget,
        detail);
  }

  public AuditRecord skipped() {
    return new AuditRecord(
        eventId,
        escalationId,
        dispositionVersion,
        action,
        targetSystem,
        targetRecordId,
        true,
        notificationTarget,
        detail);
  }

  public AuditRecord notified(String channel) {
    return new AuditRecord(
        eventId,
        escalationId,
        dispositionVersion,
        action,
        targetSystem,
        targetRecordId,
        skippedAsDone,
        channel,
        detail);
  }

  public AuditRecord detail(String text) {
    return new AuditRecord(
        eventId,
        escalationId,
        dispositionVersion,
        action,
        targetSystem,
        targetRecordId,
        skippedAsDone,
        notificationTarget,
        text);
  }
}
