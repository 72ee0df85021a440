package com.closeout.intake;

import com.closeout.audit.AuditAction;
import com.closeout.audit.AuditRecord;
import com.closeout.audit.AuditTrail;
import com.closeout.domain.DispositionEvent;
import com.closeout.domain.EventOutcome;
import com.closeout.propagation.Closure;
import com.closeout.propagation.ClosureStore;
import com.closeout.propagation.NewClosure;
import com.closeout.propagation.TransactionRunner;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Takes one delivered event: the first two rows of SPEC §4 (same event id already accepted; a
 * closure already exists for the escalation and version) and the start of a closure, in one
 * transaction. Everything that needs the source record happens in the worker.
 */
public final class EventIntake {
  private final Inbox inbox;
  private final ClosureStore closures;
  private final AuditTrail audit;
  private final TransactionRunner transactions;
  private final Clock clock;

  public EventIntake(
      Inbox inbox,
      ClosureStore closures,
      AuditTrail audit,
      TransactionRunner transactions,
      Clock clock) {
    this.inbox = inbox;
    this.closures = closures;
    this.audit = audit;
    this.transactions = transactions;
    this.clock = clock;
  }

  public IntakeReceipt receive(IncomingEvent event) {
    return transactions.inTransaction(() -> accept(event));
  }

  /**
   * Audit entries are appended last, in one go: the chain head is the one lock every writer shares,
   * so taking it after the inbox and closure rows keeps one lock order with the worker (which also
   * appends at the end of its transactions) and no deadlock between them.
   */
  private IntakeReceipt accept(IncomingEvent event) {
    String eventId = event.id().value();
    Optional<DispositionEvent> finalized = event.finalizedEvent();
    String escalation = finalized.map(e -> e.escalationId().value()).orElse(event.subject());
    Integer version = finalized.map(DispositionEvent::dispositionVersion).orElse(null);
    List<AuditRecord> entries = new ArrayList<>();
    IntakeReceipt receipt;
    boolean fresh =
        inbox.accept(
            new InboxEntry(
                eventId,
                event.type(),
                escalation,
                version,
                clock.instant(),
                finalized.isPresent() ? EventOutcome.CLOSURE_STARTED : EventOutcome.IGNORED,
                null));
    if (!fresh) {
      entries.add(
          AuditRecord.of(eventId, escalation, version, AuditAction.DUPLICATE)
              .detail("event id already accepted"));
      receipt = IntakeReceipt.redelivered(eventId);
    } else {
      entries.add(
          AuditRecord.of(eventId, escalation, version, AuditAction.RECEIVED).detail(event.type()));
      receipt = start(event, finalized, eventId, escalation, version, entries);
    }
    audit.appendAll(entries);
    return receipt;
  }

  private IntakeReceipt start(
      IncomingEvent event,
      Optional<DispositionEvent> finalized,
      String eventId,
      String escalation,
      Integer version,
      List<AuditRecord> entries) {
    if (finalized.isEmpty()) {
      entries.add(
          AuditRecord.of(eventId, escalation, null, AuditAction.IGNORED)
              .detail("type " + event.type() + " starts no work"));
      return IntakeReceipt.of(eventId, EventOutcome.IGNORED, null);
    }
    Optional<Closure> started =
        closures.insertIfAbsent(new NewClosure(finalized.get(), clock.instant()));
    if (started.isEmpty()) {
      Long existing = closures.find(finalized.get().closureKey()).map(Closure::id).orElse(null);
      inbox.settle(eventId, EventOutcome.DUPLICATE, existing);
      entries.add(
          AuditRecord.of(eventId, escalation, version, AuditAction.DUPLICATE)
              .detail("closure for this version already exists; it goes on as it is"));
      return IntakeReceipt.of(eventId, EventOutcome.DUPLICATE, existing);
    }
    inbox.settle(eventId, EventOutcome.CLOSURE_STARTED, started.get().id());
    return IntakeReceipt.of(eventId, EventOutcome.CLOSURE_STARTED, started.get().id());
  }
}
