package com.closeout.evaluation;

import java.util.Locale;

/** What a campaign injects besides the anomalies every campaign plants (SPEC §4). */
public enum FaultProfile {
  /** No faults. */
  NONE,
  /** Random UNAVAILABLE, TIMEOUT (applied, answer lost) and CONFLICT on every target, few each. */
  FLAKY,
  /** One target refuses every call for a stretch of simulated time, then comes back. */
  OUTAGE,
  /** The worker is killed at random step boundaries and restarted on the same store. */
  CRASHES,
  /**
   * All of the above, plus duplicate, reordered and late deliveries and records reopened or
   * superseded while their closure waits for a retry.
   */
  CHAOS;

  public boolean flaky() {
    return this == FLAKY || this == CHAOS;
  }

  public boolean outage() {
    return this == OUTAGE || this == CHAOS;
  }

  public boolean crashes() {
    return this == CRASHES || this == CHAOS;
  }

  /** Delivery disorder and mid-flight changes. */
  public boolean disorder() {
    return this == CHAOS;
  }

  /** The name on the command line, e.g. {@code chaos}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static FaultProfile fromWireName(String name) {
    for (FaultProfile profile : values()) {
      if (profile.wireName().equals(name)) {
        return profile;
      }
    }
    throw new IllegalArgumentException(
        "unknown fault profile '" + name + "' (expected none, flaky, outage, crashes or chaos)");
  }
}
