package com.closeout.propagation;

import com.closeout.audit.AuditAction;
import com.closeout.audit.AuditRecord;
import com.closeout.audit.AuditTrail;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes audit entries about closures, always naming the source event and version. Inside {@link
 * #batched} the entries of one group commit are collected and appended in one statement, in the
 * order they were made, within the same transaction (sent with its commit where the store can).
 */
final class ClosureAuditor {
  private final AuditTrail trail;
  private final ThreadLocal<List<AuditRecord>> pending = new ThreadLocal<>();

  ClosureAuditor(AuditTrail trail) {
    this.trail = trail;
  }

  void append(Closure closure, AuditAction action) {
    append(record(closure, action));
  }

  void append(AuditRecord record) {
    List<AuditRecord> batch = pending.get();
    if (batch != null) {
      batch.add(record);
    } else {
      trail.append(record);
    }
  }

  /** Runs {@code work}, then appends every entry it made at once; must run in a transaction. */
  void batched(Runnable work) {
    if (pending.get() != null) {
      work.run();
      return;
    }
    List<AuditRecord> batch = new ArrayList<>();
    pending.set(batch);
    try {
      work.run();
    } finally {
      pending.remove();
    }
    trail.appendWithCommit(batch);
  }

  /**
   * Inside {@link #batched}: appends what was collected so far, in this transaction, and returns
   * each record with its entry id (the completion record's trail names them).
   */
  List<Appended> flush() {
    List<AuditRecord> batch = pending.get();
    if (batch == null || batch.isEmpty()) {
      return List.of();
    }
    List<Long> ids = trail.appendAll(List.copyOf(batch));
    List<Appended> appended = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      appended.add(new Appended(ids.get(i), batch.get(i)));
    }
    batch.clear();
    return appended;
  }

  /** A record appended in this transaction, and the entry id it was given. */
  record Appended(long entryId, AuditRecord record) {}

  static AuditRecord record(Closure closure, AuditAction action) {
    return AuditRecord.of(
        closure.eventId().value(),
        closure.key().escalationId().value(),
        closure.key().dispositionVersion(),
        action);
  }
}
