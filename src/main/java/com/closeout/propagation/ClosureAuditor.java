package com.closeout.propagation;

import com.closeout.audit.AuditAction;
import com.closeout.audit.AuditEntry;
import com.closeout.audit.AuditRecord;
import com.closeout.audit.AuditTrail;

/** Writes audit entries about one closure, always naming its source event and version. */
final class ClosureAuditor {
  private final AuditTrail trail;

  ClosureAuditor(AuditTrail trail) {
    this.trail = trail;
  }

  AuditEntry append(Closure closure, AuditAction action) {
    return trail.append(record(closure, action));
  }

  AuditEntry append(AuditRecord record) {
    return trail.append(record);
  }

  static AuditRecord record(Closure closure, AuditAction action) {
    return AuditRecord.of(
        closure.eventId().value(),
        closure.key().escalationId().value(),
        closure.key().dispositionVersion(),
        action);
  }
}
