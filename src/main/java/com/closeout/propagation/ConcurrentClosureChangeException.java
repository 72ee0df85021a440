package com.closeout.propagation;

/** A guarded update matched no row: someone else changed the closure or step first. */
public class ConcurrentClosureChangeException extends RuntimeException {
  public ConcurrentClosureChangeException(String message) {
    super(message);
  }
}
