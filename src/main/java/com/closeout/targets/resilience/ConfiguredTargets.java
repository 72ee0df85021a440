package com.closeout.targets.resilience;

import com.closeout.domain.TargetSystem;
import com.closeout.targets.TargetPorts;
import com.closeout.targets.rest.TargetCheck;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The target systems as configured: each system's kind, base URL and guard, the guarded ports the
 * engine uses, and the read-only check of each ({@code check-config}).
 */
public final class ConfiguredTargets {

  /**
   * One configured system.
   *
   * @param baseUrl null for an in-memory kind
   * @param check the read-only calls of {@code check-config}
   */
  public record Target(
      TargetSystem system,
      String kind,
      URI baseUrl,
      TargetGuard guard,
      Supplier<TargetCheck> check) {
    public Target {
      Objects.requireNonNull(system, "system");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(guard, "guard");
      Objects.requireNonNull(check, "check");
    }
  }

  /** What {@code closeout targets} shows for one system. */
  public record TargetStatus(String system, String kind, String baseUrl, TargetGuardStatus guard) {}

  private final Map<TargetSystem, Target> targets = new EnumMap<>(TargetSystem.class);
  private final TargetPorts ports;

  /**
   * @param unguarded the ports as built; each is wrapped in its system's guard
   */
  public ConfiguredTargets(TargetPorts unguarded, List<Target> targets) {
    Map<TargetSystem, TargetGuard> guards = new EnumMap<>(TargetSystem.class);
    for (Target target : targets) {
      if (this.targets.put(target.system(), target) != null) {
        throw new IllegalArgumentException(target.system().wireName() + " configured twice");
      }
      guards.put(target.system(), target.guard());
    }
    this.ports = GuardedPorts.wrap(unguarded, guards);
  }

  public TargetPorts ports() {
    return ports;
  }

  public List<TargetStatus> statuses() {
    List<TargetStatus> statuses = new ArrayList<>();
    targets
        .values()
        .forEach(
            t ->
                statuses.add(
                    new TargetStatus(
                        t.system().wireName(),
                        t.kind(),
                        t.baseUrl() == null ? null : t.baseUrl().toString(),
                        t.guard().status())));
    return statuses;
  }

  /** Runs every system's read-only check, one after the other. */
  public List<TargetCheck> check() {
    List<TargetCheck> checks = new ArrayList<>();
    targets.values().forEach(t -> checks.add(t.check().get()));
    return checks;
  }

  public TargetGuard guard(TargetSystem system) {
    Target target = targets.get(system);
    if (target == null) {
      throw new IllegalArgumentException(system.wireName() + " is not configured");
    }
    return target.guard();
  }
}
