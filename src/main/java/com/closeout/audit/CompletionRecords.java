package com.closeout.audit;

import com.closeout.domain.ClosureKey;
import java.time.Instant;
import java.util.List;

/**
 * Completion traces in the audit store, the target of the COMPLETION_RECORD step: one per closure,
 * naming the source event and the audit entries of every target update.
 */
public interface CompletionRecords {
  boolean exists(long closureId);

  /** False when a record for this closure already exists (nothing written then). */
  boolean insert(
      long closureId, ClosureKey key, String eventId, List<Long> auditSequences, Instant at);
}
