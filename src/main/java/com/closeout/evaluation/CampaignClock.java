package com.closeout.evaluation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The simulated time of a campaign: it moves only when the campaign advances it, so retry delays
 * cost no wall time and a seed replays the same schedule.
 */
final class CampaignClock extends Clock {
  private volatile Instant now;

  CampaignClock(Instant start) {
    this.now = start;
  }

  void advanceTo(Instant instant) {
    if (instant.isAfter(now)) {
      now = instant;
    }
  }

  void advance(Duration duration) {
    now = now.plus(duration);
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("campaign time is UTC only");
  }
}
