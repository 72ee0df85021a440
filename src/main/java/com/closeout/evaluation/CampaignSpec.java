package com.closeout.evaluation;

import java.time.Duration;
import java.util.Objects;

/**
 * What one campaign runs: how many cases, from which seed, with which faults, on how many engine
 * instances at once.
 *
 * @param outage how long the outage of the {@code outage} and {@code chaos} profiles lasts, in
 *     simulated time; {@code null} takes the profile's default
 */
public record CampaignSpec(
    int cases, long seed, FaultProfile profile, int instances, Duration outage) {
  public static final int MAX_INSTANCES = 8;

  public CampaignSpec {
    Objects.requireNonNull(profile, "profile");
    if (cases < 1) {
      throw new IllegalArgumentException("cases must be positive");
    }
    if (instances < 1 || instances > MAX_INSTANCES) {
      throw new IllegalArgumentException("instances must be 1 to " + MAX_INSTANCES);
    }
    if (outage != null && (outage.isNegative() || outage.isZero())) {
      throw new IllegalArgumentException("the outage must last a while");
    }
  }

  public CampaignSpec(int cases, long seed, FaultProfile profile) {
    this(cases, seed, profile, 1, null);
  }

  public CampaignSpec withSeed(long other) {
    return new CampaignSpec(cases, other, profile, instances, outage);
  }
}
