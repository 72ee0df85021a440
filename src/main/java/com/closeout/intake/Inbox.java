package com.closeout.intake;

import com.closeout.domain.EventOutcome;
import java.util.List;
import java.util.Optional;

/** Accepted events, unique by event id: the first line of defence against redelivery. */
public interface Inbox {
  /** False when the event id was already accepted (nothing written then). */
  boolean accept(InboxEntry entry);

  void settle(String eventId, EventOutcome outcome, Long closureId);

  Optional<InboxEntry> find(String eventId);

  List<InboxEntry> all();
}
