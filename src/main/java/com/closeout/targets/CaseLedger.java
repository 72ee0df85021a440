package com.closeout.targets;

/** The case ledger, the case's book of record. */
public interface CaseLedger extends BookkeepingTarget {}
