package com.closeout.evaluation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One scenario file (SPEC §7.1): the initial state of every sandbox system, the steps to apply in
 * order, and what must come out.
 *
 * @param expect per escalation id, what its outcome must be
 * @param expectEvents per event id, what must become of it; empty when the file gives none
 * @param seed seeds the retry jitter, so a run replays the same delays
 */
public record Scenario(
    String name,
    ScenarioSystems systems,
    List<ScenarioStep> steps,
    Map<String, EscalationExpectation> expect,
    Map<String, String> expectEvents,
    long seed) {

  public static final long DEFAULT_SEED = 42L;

  public Scenario {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(systems, "systems");
    steps = List.copyOf(steps);
    expect = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(expect));
    expectEvents = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(expectEvents));
  }
}
