package com.closeout.propagation;

import com.closeout.audit.AuditTrail;
import com.closeout.audit.CompletionRecords;
import com.closeout.followup.FollowUpStore;
import com.closeout.intake.Inbox;
import java.util.Objects;

/** Closeout's own durable state, all in one store so a step and its audit commit together. */
public record CloseoutStores(
    Inbox inbox,
    ClosureStore closures,
    AuditTrail audit,
    CompletionRecords completions,
    FollowUpStore followUps,
    TransactionRunner transactions) {
  public CloseoutStores {
    Objects.requireNonNull(inbox, "inbox");
    Objects.requireNonNull(closures, "closures");
    Objects.requireNonNull(audit, "audit");
    Objects.requireNonNull(completions, "completions");
    Objects.requireNonNull(followUps, "followUps");
    Objects.requireNonNull(transactions, "transactions");
  }
}
