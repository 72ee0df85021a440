package com.closeout.propagation;

/**
 * What a worker thread hears of its own claims while it works due closures ({@link
 * CloseoutEngine#runDue(ClaimListener)}). Both run on the worker's thread, between its statements,
 * so they must be quick.
 */
public interface ClaimListener {
  /** Hears nothing. */
  ClaimListener NONE = new ClaimListener() {};

  /** A claim is about to be made: the batch it takes, if any, begins now. */
  default void claiming() {}

  /** A claim took a full batch: more may be due than this thread will take soon. */
  default void claimedInFull() {}
}
