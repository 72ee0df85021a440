package com.closeout.propagation;

import java.util.function.Supplier;

/** Runs work in one store transaction, so a step's progress and its audit entry commit together. */
public interface TransactionRunner {
  <T> T inTransaction(Supplier<T> work);

  default void inTransaction(Runnable work) {
    inTransaction(
        () -> {
          work.run();
          return null;
        });
  }
}
