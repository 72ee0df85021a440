package com.closeout.config;

import com.closeout.audit.AuditTrail;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Links committed audit entries into the hash chain every {@code closeout.audit.chain-interval}, on
 * a thread of its own: appenders commit their entries unchained, so this is what keeps the chain up
 * with them. A failed pass is logged and the next runs as scheduled; nothing is lost meanwhile,
 * since pending entries wait in the store. The bench runs it beside the worker it measures.
 */
public class AuditChainLoop implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(AuditChainLoop.class);

  private final AuditTrail audit;
  private final Duration interval;
  private final boolean autoStartup;
  private ThreadPoolTaskScheduler scheduler;
  private ScheduledFuture<?> schedule;

  public AuditChainLoop(AuditTrail audit, Duration interval, boolean autoStartup) {
    this.audit = audit;
    this.interval = interval;
    this.autoStartup = autoStartup;
  }

  /**
   * Where the worker runs and chaining is on: one-shot commands chain what they need themselves.
   */
  @Override
  public boolean isAutoStartup() {
    return autoStartup;
  }

  @Override
  public synchronized void start() {
    if (schedule != null) {
      return;
    }
    scheduler = new ThreadPoolTaskScheduler();
    scheduler.setPoolSize(1);
    scheduler.setThreadNamePrefix("closeout-audit-chain-");
    scheduler.initialize();
    schedule = scheduler.scheduleWithFixedDelay(this::passOnce, interval);
  }

  /** Chains every committed pending entry; returns how many. */
  long passOnce() {
    try {
      return audit.chainAllPending();
    } catch (RuntimeException e) {
      log.error("Audit chaining pass failed; pending entries wait for the next one", e);
      return 0;
    }
  }

  /** Stops scheduling, waits for a pass under way, then chains what is left once more. */
  @Override
  public synchronized void stop() {
    if (schedule == null) {
      return;
    }
    schedule.cancel(false);
    scheduler.setWaitForTasksToCompleteOnShutdown(true);
    scheduler.setAwaitTerminationSeconds(30);
    scheduler.shutdown();
    schedule = null;
    scheduler = null;
    passOnce();
  }

  @Override
  public boolean isRunning() {
    return schedule != null;
  }

  /** Stops after the worker (a higher phase stops first), so its last entries get chained. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 1;
  }
}
