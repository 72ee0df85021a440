package com.closeout.audit;

import com.closeout.domain.ClosureKey;
import java.time.Instant;
import java.util.List;

/**
 * Completion traces in the audit store, the target of the COMPLETION_RECORD step: one per closure,
 * naming the source event and, by entry id, the audit entries of every target update.
 */
public interface CompletionRecords {
  boolean exists(long closureId);

  /** False when a record for this closure already exists (nothing written then). */
  default boolean insert(
      long closureId, ClosureKey key, String eventId, List<Long> auditEntryIds, Instant at) {
    return insertAll(List.of(new CompletionRecord(closureId, key, eventId, auditEntryIds, at)))
        .get(0);
  }

  /** One flag per record, in order: false where the closure already had one (nothing written). */
  List<Boolean> insertAll(List<CompletionRecord> records);

  /** One closure's completion trace: its source event and the audit entries of its updates. */
  record CompletionRecord(
      long closureId, ClosureKey key, String eventId, List<Long> auditEntryIds, Instant at) {
    public CompletionRecord {
      auditEntryIds = List.copyOf(auditEntryIds);
    }
  }
}
