package com.closeout.targets.rest;

import com.closeout.targets.CaseLedger;

/** The case ledger over the reference contract ({@code /ledger/...}). */
public final class RestCaseLedger extends RestBookkeepingTarget implements CaseLedger {
  public RestCaseLedger(ContractClient client) {
    super(client, "/ledger");
  }
}
