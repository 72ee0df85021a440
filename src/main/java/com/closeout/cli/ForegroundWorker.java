package com.closeout.cli;

import com.closeout.propagation.CloseoutEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The worker, run in the command's own thread until nothing is left to do: what is due now is
 * worked at once, a retry delay within {@code patience} is waited out, a later one is left to
 * {@code serve}.
 */
final class ForegroundWorker {

  /** Waits between polls; a test passes one that moves a fake clock instead. */
  @FunctionalInterface
  interface Pause {
    void sleep(Duration duration) throws InterruptedException;
  }

  /**
   * @param worked closures worked in all
   * @param waitingUntil when the soonest closure left waiting falls due; empty when idle
   */
  record Result(int worked, Optional<Instant> waitingUntil) {}

  private final CloseoutEngine engine;
  private final Clock clock;
  private final Pause pause;

  ForegroundWorker(CloseoutEngine engine, Clock clock, Pause pause) {
    this.engine = engine;
    this.clock = clock;
    this.pause = pause;
  }

  ForegroundWorker(CloseoutEngine engine, Clock clock) {
    this(engine, clock, duration -> Thread.sleep(duration.toMillis()));
  }

  Result runUntilIdle(Duration patience) {
    Instant deadline = clock.instant().plus(patience);
    int worked = 0;
    while (true) {
      worked += engine.runDue();
      Optional<Instant> next = engine.nextDueAt();
      if (next.isEmpty()) {
        return new Result(worked, Optional.empty());
      }
      Instant now = clock.instant();
      if (!next.get().isAfter(now)) {
        continue;
      }
      if (next.get().isAfter(deadline)) {
        return new Result(worked, next);
      }
      try {
        pause.sleep(Duration.between(now, next.get()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Result(worked, next);
      }
    }
  }
}
