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

  /**
   * Entries chained between two reclaims of the room they waited in, so the pending table never
   * holds many more dead rows than this: the completion records' trail read scans that table, dead
   * rows included. At 10 000 the read cost 0.55 ms and 252 blocks a call at 300 closures/s, at 2
   * 000 0.24 ms and 56 blocks, and the VACUUMs of a smaller table cost less in all (session 8,
   * docs/performance.md).
   */
  static final long RECLAIM_AFTER = 2_000;

  private final AuditTrail audit;
  private final Duration interval;
  private final boolean autoStartup;
  private ThreadPoolTaskScheduler scheduler;
  private ScheduledFuture<?> schedule;

  /** Held by a pass, not by start/stop: stop waits for a pass under way to finish. */
  private final Object pass = new Object();

  private long chainedSinceReclaim;

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

  /**
   * Chains every committed pending entry, and reclaims their room every {@link #RECLAIM_AFTER}
   * entries; returns how many it chained. Runs on the loop's one thread (or, stopped, the
   * caller's).
   */
  long passOnce() {
    synchronized (pass) {
      long linked;
      try {
        linked = audit.chainAllPending();
      } catch (RuntimeException e) {
        log.error("Audit chaining pass failed; pending entries wait for the next one", e);
        return 0;
      }
      chainedSinceReclaim += linked;
      if (chainedSinceReclaim >= RECLAIM_AFTER) {
        chainedSinceReclaim = 0;
        try {
          audit.reclaimChainedSpace();
        } catch (RuntimeException e) {
          log.warn("Reclaiming the room of chained audit entries failed; autovacuum remains", e);
        }
      }
      return linked;
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
