package com.closeout.targets;

/** The escalation tracker, which tracks the escalation episode. */
public interface EscalationTracker extends BookkeepingTarget {}
