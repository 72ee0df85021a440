package com.closeout.targets.rest;

import com.closeout.targets.EscalationTracker;

/** The escalation tracker over the reference contract ({@code /tracker/...}). */
public final class RestEscalationTracker extends RestBookkeepingTarget
    implements EscalationTracker {
  public RestEscalationTracker(ContractClient client) {
    super(client, "/tracker");
  }
}
