package com.closeout.propagation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The worker's threads. Each works due closures until none is due, then sleeps until intake
 * announces a new closure ({@link CloseoutEngine#whenWorkArrives}) or the poll interval passes
 * (retries coming due, closures another instance took in). Several threads claim separate batches,
 * so one batch's commits overlap another's target calls and the store works on more than one
 * connection at a time.
 *
 * <p>Hand-written rather than on a scheduler: "now, when signalled, else after the interval,
 * without losing a signal that arrives while a poll is finishing" is what the loop below does with
 * a signal counter (docs/decisions/0005).
 */
public final class WorkerThreads {
  private final CloseoutEngine engine;
  private final int count;
  private final Duration pollInterval;
  private final String name;
  private final Consumer<RuntimeException> failures;
  private final AtomicLong signals = new AtomicLong();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private volatile boolean running;
  private boolean listening;

  /**
   * @param count worker threads, each claiming its own batches
   * @param pollInterval longest sleep when nothing is due and no signal came
   * @param failures told of a poll that failed; the thread sleeps one interval, then polls again
   */
  public WorkerThreads(
      CloseoutEngine engine,
      int count,
      Duration pollInterval,
      String name,
      Consumer<RuntimeException> failures) {
    if (count < 1) {
      throw new IllegalArgumentException("at least one worker thread");
    }
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("the poll interval must be positive");
    }
    this.engine = engine;
    this.count = count;
    this.pollInterval = pollInterval;
    this.name = name;
    this.failures = failures;
  }

  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    if (!listening) {
      engine.whenWorkArrives(this::wake);
      listening = true;
    }
    for (int i = 1; i <= count; i++) {
      Thread thread = new Thread(this::loop, name + "-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  /** Work may be due: every sleeping thread polls at once. */
  public void wake() {
    signals.incrementAndGet();
    for (Thread thread : threads) {
      LockSupport.unpark(thread);
    }
  }

  /**
   * Lets each thread finish the batch it is working (a step in flight commits its progress) and
   * waits for them, at most {@code grace} each; never interrupts a target call.
   *
   * @return true when every thread ended within the grace
   */
  public synchronized boolean stop(Duration grace) throws InterruptedException {
    if (!running) {
      return true;
    }
    running = false;
    wake();
    boolean ended = true;
    for (Thread thread : threads) {
      thread.join(grace.toMillis());
      ended &= !thread.isAlive();
    }
    threads.clear();
    return ended;
  }

  public boolean isRunning() {
    return running;
  }

  private void loop() {
    while (running) {
      // Read before polling: a signal that arrives during the poll is not slept through.
      long seen = signals.get();
      boolean failed = false;
      int worked = 0;
      try {
        worked = engine.runDue();
      } catch (RuntimeException e) {
        failed = true;
        failures.accept(e);
      }
      if (running && (failed || (worked == 0 && signals.get() == seen))) {
        LockSupport.parkNanos(pollInterval.toNanos());
      }
    }
  }
}
