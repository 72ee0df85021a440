package com.closeout.intake;

import com.closeout.domain.EventOutcome;
import java.util.List;
import java.util.Optional;

/** Accepted events, unique by event id: the first line of defence against redelivery. */
public interface Inbox {
  /**
   * Accepts a group of deliveries in order: one flag per entry, false where the event id was
   * already accepted (by an earlier call or an earlier entry of this group; nothing written then).
   */
  List<Boolean> acceptAll(List<InboxEntry> entries);

  /** Records what became of accepted events; settling an event never accepted is a bug. */
  void settleAll(List<InboxSettlement> settlements);

  Optional<InboxEntry> find(String eventId);

  List<InboxEntry> all();

  /** False when the event id was already accepted (nothing written then). */
  default boolean accept(InboxEntry entry) {
    return acceptAll(List.of(entry)).get(0);
  }

  default void settle(String eventId, EventOutcome outcome, Long closureId) {
    settleAll(List.of(new InboxSettlement(eventId, outcome, closureId)));
  }
}
