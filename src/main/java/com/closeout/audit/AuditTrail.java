package com.closeout.audit;

import java.util.List;
import java.util.Optional;

/** The append-only, hash-chained audit store (SPEC §6). */
public interface AuditTrail {
  /** Appends in the caller's transaction; concurrent appends are serialised on the chain head. */
  AuditEntry append(AuditRecord record);

  /**
   * Appends several records in order, in the caller's transaction, locking the chain head once:
   * what one group commit of the worker writes.
   */
  List<AuditEntry> appendAll(List<AuditRecord> records);

  /** Entries in sequence order, from {@code fromSequence} on, at most {@code limit}. */
  List<AuditEntry> entries(long fromSequence, int limit);

  List<AuditEntry> forEscalation(String escalationId);

  long count();

  /** Recomputes the whole chain; empty when intact, else the first broken entry. */
  Optional<ChainBreak> verify();

  record ChainBreak(long sequence, String why) {}
}
