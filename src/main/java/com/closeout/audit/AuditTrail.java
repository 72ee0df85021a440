package com.closeout.audit;

import com.closeout.domain.ClosureKey;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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

  /**
   * The sequences of each closure's entries so far (its escalation and disposition version), in
   * order: the trail a completion record names. One read for many closures.
   */
  Map<ClosureKey, List<Long>> trails(Collection<ClosureKey> closures);

  long count();

  /** Recomputes the whole chain; empty when intact, else the first broken entry. */
  Optional<ChainBreak> verify();

  record ChainBreak(long sequence, String why) {}
}
