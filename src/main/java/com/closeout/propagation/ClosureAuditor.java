package com.closeout.propagation;

import com.closeout.audit.AuditAction;
import com.closeout.audit.AuditRecord;
import com.closeout.audit.AuditTrail;
import com.closeout.domain.ClosureKey;
import com.closeout.domain.EscalationId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
   * Inside {@link #batched}: each closure's trail (the completion record names it): the entries
   * committed before this transaction, chained or not, and those it collected, appended now — read
   * and appended in one statement where the trail can. An entry another process appends for the
   * same version meanwhile (a redelivery's DUPLICATE) is in the chain, not in the trail.
   */
  Map<ClosureKey, List<Long>> flushIntoTrails(Collection<ClosureKey> closures) {
    List<AuditRecord> batch = pending.get();
    if (batch == null) {
      throw new IllegalStateException("trails are flushed into inside a batch");
    }
    List<AuditRecord> records = List.copyOf(batch);
    batch.clear();
    AuditTrail.TrailsThenAppended both = trail.trailsThenAppend(closures, records);
    Map<ClosureKey, List<Long>> trails = new LinkedHashMap<>();
    both.trails().forEach((key, ids) -> trails.put(key, new ArrayList<>(ids)));
    for (int i = 0; i < records.size(); i++) {
      AuditRecord record = records.get(i);
      if (record.escalationId() != null && record.dispositionVersion() != null) {
        List<Long> trail =
            trails.get(
                new ClosureKey(
                    new EscalationId(record.escalationId()), record.dispositionVersion()));
        if (trail != null) {
          trail.add(both.entryIds().get(i));
        }
      }
    }
    return trails;
  }

  static AuditRecord record(Closure closure, AuditAction action) {
    return AuditRecord.of(
        closure.eventId().value(),
        closure.key().escalationId().value(),
        closure.key().dispositionVersion(),
        action);
  }
}
