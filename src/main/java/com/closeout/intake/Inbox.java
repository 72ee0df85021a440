package com.closeout.intake;

import com.closeout.domain.EventOutcome;
import java.util.List;
import java.util.Optional;

/**
 * Accepted events, unique by event id: the first line of defence against redelivery. Events go in
 * with the closures they start ({@link com.closeout.propagation.ClosureStore#acceptAndStartAll});
 * this port settles, finds and lists them.
 */
public interface Inbox {
  /** Records what became of accepted events; settling an event never accepted is a bug. */
  void settleAll(List<InboxSettlement> settlements);

  Optional<InboxEntry> find(String eventId);

  List<InboxEntry> all();

  default void settle(String eventId, EventOutcome outcome, Long closureId) {
    settleAll(List.of(new InboxSettlement(eventId, outcome, closureId)));
  }
}
