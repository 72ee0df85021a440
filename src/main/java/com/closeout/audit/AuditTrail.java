package com.closeout.audit;

import com.closeout.domain.ClosureKey;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The append-only, hash-chained audit store (SPEC §6), in two moves: an append commits an entry
 * with the change it records, numbered by entry id but not yet chained, and takes no lock another
 * appender waits on; {@link #chainPending} then links committed entries into the chain, in entry-id
 * order, under the chain head's lock. Reads of the chain ({@link #entries}, {@link #forEscalation},
 * {@link #count}, {@link #verify}) see linked entries only: whoever needs every entry so far in
 * them (a scenario's result, a campaign's measures, {@code audit verify}) chains what is pending
 * first.
 */
public interface AuditTrail {
  /** Appends in the caller's transaction, unchained; returns the entry's id. */
  long append(AuditRecord record);

  /**
   * Appends several records in order, in the caller's transaction, in one statement: what one group
   * commit of the worker writes. Returns their entry ids, ascending in the records' order.
   */
  List<Long> appendAll(List<AuditRecord> records);

  /**
   * As {@link #appendAll}, for a caller that needs no entry ids: the store may hold the records and
   * send them with the caller's transaction's commit, in the same round trip (decision 0012); they
   * commit or roll back with it, and the store's own reads in that transaction see them. Outside a
   * transaction, appends at once.
   */
  default void appendWithCommit(List<AuditRecord> records) {
    appendAll(records);
  }

  /**
   * Links the entries of up to {@code limit} committed appends (an append: the entries one {@link
   * #appendAll} recorded) not yet in the chain, oldest first, in entry-id order, in a transaction
   * of its own; returns how many entries it linked. Entries of a transaction that commits later are
   * linked by a later call: an entry is never chained before one its transaction saw committed.
   */
  int chainPending(int limit);

  /**
   * Links every entry committed before the call and not yet in the chain, {@link #CHAIN_BATCH}
   * appends a transaction; returns how many entries.
   */
  long chainAllPending();

  /**
   * Lets the store take back the room entries left where they waited before being chained, and keep
   * what it needs to find a closure's entries fast and its young tables' statistics fresh (the
   * chainer calls it every so many entries); outside any transaction.
   */
  void reclaimChainedSpace();

  /** Entries appended and committed but not yet linked into the chain. */
  long pending();

  /** Chained entries in sequence order, from {@code fromSequence} on, at most {@code limit}. */
  List<AuditEntry> entries(long fromSequence, int limit);

  /** The escalation's chained entries, in sequence order. */
  List<AuditEntry> forEscalation(String escalationId);

  /**
   * The entry ids of each closure's entries so far (its escalation and disposition version),
   * chained or not, ascending: the trail a completion record names. One read for many closures.
   */
  Map<ClosureKey, List<Long>> trails(Collection<ClosureKey> closures);

  /**
   * The trails of {@code closures} as {@link #trails} reads them, then {@code records} appended as
   * {@link #appendAll} appends them: what a completion group needs (the trails so far, and the ids
   * of the entries it adds to them), in one statement where the store can. The trails do not hold
   * the records appended here.
   */
  default TrailsThenAppended trailsThenAppend(
      Collection<ClosureKey> closures, List<AuditRecord> records) {
    Map<ClosureKey, List<Long>> trails = trails(closures);
    return new TrailsThenAppended(trails, appendAll(records));
  }

  /**
   * @param trails each closure's entry ids before the append, ascending
   * @param entryIds the appended records' entry ids, in the records' order
   */
  record TrailsThenAppended(Map<ClosureKey, List<Long>> trails, List<Long> entryIds) {}

  /** Chained entries. */
  long count();

  /**
   * Recomputes the whole chain; empty when intact, else the first broken entry. Entries still
   * pending are not in the chain and do not break it.
   */
  Optional<ChainBreak> verify();

  /** Appends linked per transaction by {@link #chainAllPending}. */
  int CHAIN_BATCH = 1_000;

  record ChainBreak(long sequence, String why) {}
}
