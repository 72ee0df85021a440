package com.closeout.intake;

import com.closeout.domain.EventOutcome;

/** What intake did with one delivery; {@code closureId} is set when a closure was started. */
public record IntakeReceipt(String eventId, EventOutcome outcome, Long closureId) {
  public boolean duplicate() {
    return outcome == EventOutcome.DUPLICATE;
  }
}
