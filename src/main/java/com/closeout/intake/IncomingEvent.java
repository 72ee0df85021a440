package com.closeout.intake;

import com.closeout.domain.DispositionEvent;
import com.closeout.domain.EventId;
import java.util.Optional;

/**
 * A well-formed CloudEvent as delivered. {@code finalized} is present exactly when the type is
 * {@link DispositionEvent#FINALIZED_TYPE}; other types are recorded and ignored.
 */
public record IncomingEvent(
    EventId id, String type, String source, String subject, DispositionEvent finalized) {

  public Optional<DispositionEvent> finalizedEvent() {
    return Optional.ofNullable(finalized);
  }
}
