package com.closeout.config;

import com.closeout.propagation.CloseoutEngine;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * The background worker of {@code serve}: gives back what this worker id held before a restart,
 * then works every due closure, pausing {@code closeout.worker.poll-interval} between polls. A
 * failed poll is logged and the next one runs as usual: one bad closure never stops the others.
 */
public class WorkerLoop implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(WorkerLoop.class);

  private final CloseoutEngine engine;
  private final TaskScheduler scheduler;
  private final WorkerProperties properties;
  private volatile ScheduledFuture<?> polling;

  public WorkerLoop(CloseoutEngine engine, TaskScheduler scheduler, WorkerProperties properties) {
    this.engine = engine;
    this.scheduler = scheduler;
    this.properties = properties;
  }

  /** {@code closeout.worker.enabled}: whether the worker starts with the application. */
  @Override
  public boolean isAutoStartup() {
    return properties.enabled();
  }

  /** Starts polling; the demo calls it itself once its campaign has run. */
  @Override
  public synchronized void start() {
    if (polling != null) {
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
    polling = scheduler.scheduleWithFixedDelay(this::pollOnce, properties.pollInterval());
    log.info("Worker {} polling every {}", workerId(), properties.pollInterval());
  }

  /** One poll: works what is due now. Never throws, so the schedule never ends. */
  void pollOnce() {
    try {
      int worked = engine.runDue();
      if (worked > 0) {
        log.debug("Worker {} worked {} closures", workerId(), worked);
      }
    } catch (RuntimeException e) {
      log.error("Worker {} poll failed; polling goes on", workerId(), e);
    }
  }

  @Override
  public synchronized void stop() {
    if (polling != null) {
      // Not interrupting: a step in flight finishes and commits its progress.
      polling.cancel(false);
      polling = null;
    }
  }

  @Override
  public boolean isRunning() {
    return polling != null;
  }

  private String workerId() {
    return properties.workerId();
  }
}
