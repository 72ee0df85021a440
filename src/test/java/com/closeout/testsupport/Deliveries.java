package com.closeout.testsupport;

import com.closeout.domain.DispositionEvent;
import com.closeout.domain.EventOutcome;
import com.closeout.intake.InboxEntry;
import com.closeout.propagation.Closure;
import com.closeout.propagation.ClosureStore;
import com.closeout.propagation.NewClosure;
import java.util.List;
import java.util.Optional;

/** Fixtures that put events and closures in a store as intake does, one delivery at a time. */
public final class Deliveries {
  private Deliveries() {}

  /**
   * Accepts the closure's finalized event and starts the closure; empty when one already existed
   * for its (escalation, version).
   */
  public static Optional<Closure> start(ClosureStore store, NewClosure closure) {
    return deliver(store, of(closure)).started();
  }

  /** The delivery of the closure's finalized event, as intake makes it. */
  public static ClosureStore.Delivery of(NewClosure closure) {
    DispositionEvent event = closure.event();
    InboxEntry entry =
        new InboxEntry(
            event.eventId().value(),
            DispositionEvent.FINALIZED_TYPE,
            event.escalationId().value(),
            event.dispositionVersion(),
            closure.createdAt(),
            EventOutcome.CLOSURE_STARTED,
            null);
    return new ClosureStore.Delivery(entry, closure);
  }

  /** Accepts an event that starts no closure; false when its event id was accepted before. */
  public static boolean accept(ClosureStore store, InboxEntry entry) {
    return deliver(store, new ClosureStore.Delivery(entry, null)).accepted();
  }

  private static ClosureStore.Acceptance deliver(
      ClosureStore store, ClosureStore.Delivery delivery) {
    return store.acceptAndStartAll(List.of(delivery)).get(0);
  }
}
