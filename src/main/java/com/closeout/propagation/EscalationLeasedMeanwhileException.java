package com.closeout.propagation;

/**
 * Intake leased a closure it started while another transaction leased a closure of the same
 * escalation: at most one may be leased, so nothing of the intake was stored. Intake tries again
 * without leasing (decision 0023).
 */
public final class EscalationLeasedMeanwhileException extends RuntimeException {
  public EscalationLeasedMeanwhileException(Throwable cause) {
    super("another closure of the escalation was leased meanwhile", cause);
  }
}
