package com.closeout.config;

import com.closeout.propagation.CloseoutEngine;
import com.closeout.propagation.WorkerThreads;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The background worker of {@code serve}: gives back what this worker id held before a restart,
 * then runs {@link WorkerThreads}: due closures are worked as soon as intake takes them in, and
 * every {@code closeout.worker.poll-interval} otherwise (retries coming due). A failed poll is
 * logged and the next one runs as usual: one bad closure never stops the others.
 */
public class WorkerLoop implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(WorkerLoop.class);

  /** How long stopping waits for a thread to finish the batch it is working. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final CloseoutEngine engine;
  private final WorkerProperties properties;
  private final WorkerThreads threads;

  public WorkerLoop(CloseoutEngine engine, WorkerProperties properties) {
    this.engine = engine;
    this.properties = properties;
    this.threads =
        new WorkerThreads(
            engine,
            properties.threads(),
            properties.pollInterval(),
            "closeout-worker",
            e -> log.error("Worker {} poll failed; polling goes on", properties.workerId(), e));
  }

  /** {@code closeout.worker.enabled}: whether the worker starts with the application. */
  @Override
  public boolean isAutoStartup() {
    return properties.enabled();
  }

  /** Starts the threads; the demo calls it itself once its campaign has run. */
  @Override
  public synchronized void start() {
    if (threads.isRunning()) {
      return;
    }
    try {
      int released = engine.recoverAfterRestart();
      if (released > 0) {
        log.info("Worker {} took back {} closures it held before a restart", workerId(), released);
      }
    } catch (RuntimeException e) {
      // Expired leases are released by the regular polls, so the worker can still start.
      log.error("Worker {} could not recover after restart", workerId(), e);
    }
    threads.start();
    log.info(
        "Worker {}: {} threads, woken by intake, polling every {}",
        workerId(),
        properties.threads(),
        properties.pollInterval());
  }

  @Override
  public synchronized void stop() {
    try {
      // Not interrupting: a step in flight finishes and commits its progress.
      if (!threads.stop(STOP_GRACE)) {
        log.warn("Worker {} still had a batch in flight when it stopped", workerId());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return threads.isRunning();
  }

  private String workerId() {
    return properties.workerId();
  }
}
