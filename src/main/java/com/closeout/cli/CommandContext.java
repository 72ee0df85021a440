package com.closeout.cli;

import java.io.PrintStream;

/**
 * Where a command writes and how it starts the service. Results go to {@link #out()}, everything
 * else (progress, logs, errors) to {@link #err()}, so {@code --json} output stays one object.
 */
public interface CommandContext {
  PrintStream out();

  PrintStream err();

  /**
   * The service for a one-shot command that reads the store: no web server, no background worker.
   * Commands that touch the target systems talk to the running Closeout instead.
   */
  Services services();

  /**
   * The whole service: webhook, API and background worker, until {@link #awaitShutdown()}.
   *
   * @param workerNow start the background worker at once; else {@link Services#startWorker()}
   */
  Services serve(boolean workerNow);

  /** Blocks until the served application is stopped (SIGTERM, Ctrl-C). */
  void awaitShutdown();

  /** An environment variable, e.g. {@code CLOSEOUT_SERVER}; null when unset. */
  default String environment(String name) {
    return System.getenv(name);
  }
}
