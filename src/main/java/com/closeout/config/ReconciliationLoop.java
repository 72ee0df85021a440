package com.closeout.config;

import com.closeout.audit.DriftReconciliation;
import com.closeout.audit.DriftReport;
import java.time.Clock;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * Runs the drift reconciliation every {@code closeout.reconciliation.interval} while the service
 * serves, on its own thread so a long pass never holds up the worker. Drift is logged by escalation
 * id and kind only, and audited by the reconciliation itself.
 */
public class ReconciliationLoop implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(ReconciliationLoop.class);

  private final DriftReconciliation reconciliation;
  private final TaskScheduler scheduler;
  private final ReconciliationProperties properties;
  private final WorkerProperties worker;
  private final Clock clock;
  private volatile ScheduledFuture<?> schedule;

  public ReconciliationLoop(
      DriftReconciliation reconciliation,
      TaskScheduler scheduler,
      ReconciliationProperties properties,
      WorkerProperties worker,
      Clock clock) {
    this.reconciliation = reconciliation;
    this.scheduler = scheduler;
    this.properties = properties;
    this.worker = worker;
    this.clock = clock;
  }

  /** Only where the worker runs: one-shot commands turn both off. */
  @Override
  public boolean isAutoStartup() {
    return properties.enabled() && worker.enabled();
  }

  @Override
  public synchronized void start() {
    if (schedule == null) {
      schedule = scheduler.scheduleWithFixedDelay(this::passOnce, properties.interval());
      log.info(
          "Reconciliation every {} over the last {}", properties.interval(), properties.lookback());
    }
  }

  void passOnce() {
    try {
      DriftReport report = reconciliation.reconcile(clock.instant().minus(properties.lookback()));
      if (report.clean()) {
        log.info("Reconciliation: {} finalized records, no drift", report.recordsChecked());
      } else {
        report
            .drift()
            .forEach(
                d ->
                    log.warn(
                        "Drift: {} v{} {} open in {} (closure {})",
                        d.escalationId(),
                        d.dispositionVersion(),
                        d.kind(),
                        d.openDownstream(),
                        d.closureStatus()));
        if (!report.unreachable().isEmpty()) {
          log.warn("Reconciliation could not check {}", report.unreachable());
        }
      }
    } catch (RuntimeException e) {
      log.error("Reconciliation pass failed; the next one runs as scheduled", e);
    }
  }

  @Override
  public synchronized void stop() {
    if (schedule != null) {
      schedule.cancel(false);
      schedule = null;
    }
  }

  @Override
  public boolean isRunning() {
    return schedule != null;
  }
}
