package com.closeout.intake;

import com.closeout.domain.EventOutcome;

/**
 * What intake did with one delivery. {@code closureId} names the closure started, or the existing
 * one a re-emission was folded into; {@code redelivery} is true when this very event id had been
 * accepted before (the sender may stop redelivering).
 */
public record IntakeReceipt(
    String eventId, EventOutcome outcome, Long closureId, boolean redelivery) {
  public static IntakeReceipt redelivered(String eventId) {
    return new IntakeReceipt(eventId, EventOutcome.DUPLICATE, null, true);
  }

  public static IntakeReceipt of(String eventId, EventOutcome outcome, Long closureId) {
    return new IntakeReceipt(eventId, outcome, closureId, false);
  }

  public boolean duplicate() {
    return outcome == EventOutcome.DUPLICATE;
  }
}
