package com.closeout.intake;

import com.closeout.audit.AuditAction;
import com.closeout.audit.AuditRecord;
import com.closeout.audit.AuditTrail;
import com.closeout.domain.ClosureStatus;
import com.closeout.domain.DispositionEvent;
import com.closeout.domain.EventOutcome;
import com.closeout.propagation.Closure;
import com.closeout.propagation.ClosureChange;
import com.closeout.propagation.ClosureStore;
import com.closeout.propagation.EscalationLeasedMeanwhileException;
import com.closeout.propagation.IntakeHandOff;
import com.closeout.propagation.NewClosure;
import com.closeout.propagation.TransactionRunner;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Takes delivered events: the first two rows of SPEC §4 (same event id already accepted; a closure
 * already exists for the escalation and version) and the start of a closure. Everything that needs
 * the source record happens in the worker.
 *
 * <p>A group of deliveries is taken in one transaction with one statement per table, and ends
 * exactly as if its events had been taken one after another in the order given: a repeated event id
 * within the group is a redelivery, a second event for the same version joins the first one's
 * closure.
 */
public final class EventIntake {
  private final Inbox inbox;
  private final ClosureStore closures;
  private final AuditTrail audit;
  private final TransactionRunner transactions;
  private final Clock clock;
  private final IntakeHandOff handOff;

  /**
   * @param handOff where the closures intake leases as it starts them go once committed (decision
   *     0023); null leases none
   */
  public EventIntake(
      Inbox inbox,
      ClosureStore closures,
      AuditTrail audit,
      TransactionRunner transactions,
      Clock clock,
      IntakeHandOff handOff) {
    this.inbox = inbox;
    this.closures = closures;
    this.audit = audit;
    this.transactions = transactions;
    this.clock = clock;
    this.handOff = handOff;
  }

  public IntakeReceipt receive(IncomingEvent event) {
    return receiveAll(List.of(event)).get(0);
  }

  /**
   * All of the group or nothing: one receipt per event, in order, or an exception with nothing
   * stored (the sender delivers again; intake is idempotent).
   */
  public List<IntakeReceipt> receiveAll(List<IncomingEvent> events) {
    if (events.isEmpty()) {
      return List.of();
    }
    List<IncomingEvent> group = List.copyOf(events);
    ClosureStore.Lease lease = handOff == null ? ClosureStore.Lease.NONE : handOff.lease();
    List<ClosureStore.Claimed> leased = new ArrayList<>();
    List<IntakeReceipt> receipts;
    try {
      receipts = transactions.inTransaction(() -> acceptAll(group, lease, leased));
    } catch (EscalationLeasedMeanwhileException e) {
      // Nothing was stored: the same group again, leaving every closure to the claims.
      leased.clear();
      receipts =
          transactions.inTransaction(() -> acceptAll(group, ClosureStore.Lease.NONE, leased));
    }
    // Committed: the worker may act on them now. A worker that stopped meanwhile takes none, and
    // they go back to the claims at once instead of waiting out their lease.
    if (!leased.isEmpty() && !handOff.handOver(leased)) {
      Instant now = clock.instant();
      closures.changeAll(
          leased.stream().map(ClosureStore.Claimed::closure).toList(),
          ClosureChange.to(ClosureStatus.PENDING, now).dueAt(now));
    }
    return receipts;
  }

  /**
   * The inbox rows, the closures and their steps go in in one statement (decision 0020); the audit
   * entries are appended last, in one statement sent with the commit (decision 0012). They take no
   * lock another writer waits on (the chainer links them after the commit, decision 0009), so the
   * group's only shared rows are its inbox and closure rows.
   */
  private List<IntakeReceipt> acceptAll(
      List<IncomingEvent> events, ClosureStore.Lease lease, List<ClosureStore.Claimed> leased) {
    List<ClosureStore.Delivery> deliveries = new ArrayList<>(events.size());
    for (IncomingEvent event : events) {
      deliveries.add(
          new ClosureStore.Delivery(
              inboxEntry(event),
              event.finalizedEvent().map(e -> new NewClosure(e, clock.instant())).orElse(null)));
    }
    List<ClosureStore.Acceptance> accepted = closures.acceptAndStartAll(deliveries, lease);
    leased.clear();
    accepted.forEach(acceptance -> acceptance.leased().ifPresent(leased::add));

    List<IntakeReceipt> receipts = new ArrayList<>(events.size());
    List<InboxSettlement> settlements = new ArrayList<>();
    List<AuditRecord> trail = new ArrayList<>(events.size() * 2);
    for (int i = 0; i < events.size(); i++) {
      IncomingEvent event = events.get(i);
      InboxEntry entry = deliveries.get(i).entry();
      String eventId = entry.eventId();
      String escalation = entry.escalationId();
      Integer version = entry.dispositionVersion();
      if (!accepted.get(i).accepted()) {
        trail.add(
            AuditRecord.of(eventId, escalation, version, AuditAction.DUPLICATE)
                .detail("event id already accepted"));
        receipts.add(IntakeReceipt.redelivered(eventId));
        continue;
      }
      trail.add(
          AuditRecord.of(eventId, escalation, version, AuditAction.RECEIVED).detail(event.type()));
      Optional<DispositionEvent> finalized = event.finalizedEvent();
      if (finalized.isEmpty()) {
        trail.add(
            AuditRecord.of(eventId, escalation, null, AuditAction.IGNORED)
                .detail("type " + event.type() + " starts no work"));
        receipts.add(IntakeReceipt.of(eventId, EventOutcome.IGNORED, null));
        continue;
      }
      Optional<Closure> closure = accepted.get(i).started();
      if (closure.isPresent()) {
        // Its inbox row was written naming the closure: nothing to settle.
        receipts.add(IntakeReceipt.of(eventId, EventOutcome.CLOSURE_STARTED, closure.get().id()));
        continue;
      }
      // Rare: a re-emission. The closure may be older or started earlier in this group.
      Long existing = closures.find(finalized.get().closureKey()).map(Closure::id).orElse(null);
      settlements.add(new InboxSettlement(eventId, EventOutcome.DUPLICATE, existing));
      trail.add(
          AuditRecord.of(eventId, escalation, version, AuditAction.DUPLICATE)
              .detail("closure for this version already exists; it goes on as it is"));
      receipts.add(IntakeReceipt.of(eventId, EventOutcome.DUPLICATE, existing));
    }
    inbox.settleAll(settlements);
    audit.appendWithCommit(trail);
    return receipts;
  }

  private InboxEntry inboxEntry(IncomingEvent event) {
    Optional<DispositionEvent> finalized = event.finalizedEvent();
    return new InboxEntry(
        event.id().value(),
        event.type(),
        finalized.map(e -> e.escalationId().value()).orElse(event.subject()),
        finalized.map(DispositionEvent::dispositionVersion).orElse(null),
        clock.instant(),
        finalized.isPresent() ? EventOutcome.CLOSURE_STARTED : EventOutcome.IGNORED,
        null);
  }
}
