package com.closeout.evaluation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** The scenario clock: it stands still until the runner moves it, and never goes back. */
public final class SimulatedClock extends Clock {
  private final AtomicReference<Instant> now;

  public SimulatedClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  /** Moves to {@code target} if it is later than now. */
  public void advance(Duration duration) {
    now.updateAndGet(current -> current.plus(duration));
  }

  public void advanceTo(Instant target) {
    now.accumulateAndGet(target, (current, next) -> next.isAfter(current) ? next : current);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    if (ZoneOffset.UTC.equals(zone)) {
      return this;
    }
    throw new UnsupportedOperationException("the scenario clock runs in UTC only");
  }
}
