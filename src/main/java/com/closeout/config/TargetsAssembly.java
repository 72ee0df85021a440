package com.closeout.config;

import com.closeout.config.TargetsProperties.TargetKind;
import com.closeout.config.TargetsProperties.TargetProperties;
import com.closeout.domain.TargetSystem;
import com.closeout.sandbox.SandboxSystems;
import com.closeout.targets.CaseLedger;
import com.closeout.targets.CoordinatorChannel;
import com.closeout.targets.EscalationTracker;
import com.closeout.targets.EvidenceArchive;
import com.closeout.targets.PostReviewQueue;
import com.closeout.targets.ReviewSystem;
import com.closeout.targets.TargetPorts;
import com.closeout.targets.resilience.ConfiguredTargets;
import com.closeout.targets.resilience.TargetGuard;
import com.closeout.targets.rest.ContractClient;
import com.closeout.targets.rest.ContractProbe;
import com.closeout.targets.rest.RestEndpoint;
import com.closeout.targets.rest.RestTargets;
import com.closeout.targets.rest.TargetCheck;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Builds the six ports from {@code closeout.targets.*}: sandbox or REST, each guarded. */
public final class TargetsAssembly {
  /** The systems with a port, in SPEC §1 order. */
  public static final List<TargetSystem> SYSTEMS =
      List.of(
          TargetSystem.REVIEW,
          TargetSystem.TRACKER,
          TargetSystem.LEDGER,
          TargetSystem.QUEUE,
          TargetSystem.ARCHIVE,
          TargetSystem.NOTIFICATION);

  private TargetsAssembly() {}

  /**
   * @param clock the time of Retry-After dates and of the breakers' open state
   * @param environment where *-env secrets are looked up (the process environment)
   */
  public static ConfiguredTargets assemble(
      TargetsProperties properties,
      SandboxSystems sandbox,
      Clock clock,
      Map<String, String> environment) {
    return assemble(properties, VendorSettings.none(), sandbox, clock, environment);
  }

  /**
   * @param vendors the vendor connectors' own settings, for systems of a vendor kind
   */
  public static ConfiguredTargets assemble(
      TargetsProperties properties,
      VendorSettings vendors,
      SandboxSystems sandbox,
      Clock clock,
      Map<String, String> environment) {
    TargetPorts sandboxPorts = sandbox.ports();
    Map<TargetSystem, Object> ports = new EnumMap<>(TargetSystem.class);
    List<ConfiguredTargets.Target> targets = new ArrayList<>();
    for (TargetSystem system : SYSTEMS) {
      TargetProperties target = properties.of(system);
      TargetGuard guard = new TargetGuard(system, target.guardSettings(), clock);
      String kind = target.kind().configName();
      if (target.kind() == TargetKind.SANDBOX) {
        ports.put(system, port(sandboxPorts, system));
        targets.add(
            new ConfiguredTargets.Target(
                system, kind, null, guard, () -> TargetCheck.inMemory(system, kind)));
      } else if (VendorAssembly.isVendor(target.kind())) {
        VendorAssembly.Built built =
            VendorAssembly.build(system, target, vendors, guard, clock, environment);
        ports.put(system, built.port());
        targets.add(built.target());
      } else {
        RestEndpoint endpoint = target.endpoint(system, environment);
        ports.put(system, restPort(endpoint, target.channelName(), clock));
        ContractClient probe = new ContractClient(endpoint, clock);
        targets.add(
            new ConfiguredTargets.Target(
                system, kind, endpoint.baseUrl(), guard, () -> ContractProbe.check(probe, kind)));
      }
    }
    TargetPorts unguarded =
        new TargetPorts(
            (ReviewSystem) ports.get(TargetSystem.REVIEW),
            (EscalationTracker) ports.get(TargetSystem.TRACKER),
            (CaseLedger) ports.get(TargetSystem.LEDGER),
            (PostReviewQueue) ports.get(TargetSystem.QUEUE),
            (EvidenceArchive) ports.get(TargetSystem.ARCHIVE),
            (CoordinatorChannel) ports.get(TargetSystem.NOTIFICATION));
    return new ConfiguredTargets(unguarded, targets);
  }

  /**
   * All six systems as REST on one server (the sandbox's), with the configured timeouts, breakers
   * and limiters but no credentials: {@code demo --targets http}.
   */
  public static ConfiguredTargets restOnOneServer(
      URI baseUrl, TargetsProperties properties, Clock clock) {
    List<ConfiguredTargets.Target> targets = new ArrayList<>();
    Map<TargetSystem, Object> ports = new EnumMap<>(TargetSystem.class);
    for (TargetSystem system : SYSTEMS) {
      TargetProperties target = properties.of(system);
      RestEndpoint endpoint =
          new RestEndpoint(system, baseUrl, null, target.connectTimeout(), target.readTimeout());
      ports.put(system, restPort(endpoint, target.channelName(), clock));
      ContractClient probe = new ContractClient(endpoint, clock);
      targets.add(
          new ConfiguredTargets.Target(
              system,
              TargetKind.REST.configName(),
              endpoint.baseUrl(),
              new TargetGuard(system, target.guardSettings(), clock),
              () -> ContractProbe.check(probe, TargetKind.REST.configName())));
    }
    return new ConfiguredTargets(
        new TargetPorts(
            (ReviewSystem) ports.get(TargetSystem.REVIEW),
            (EscalationTracker) ports.get(TargetSystem.TRACKER),
            (CaseLedger) ports.get(TargetSystem.LEDGER),
            (PostReviewQueue) ports.get(TargetSystem.QUEUE),
            (EvidenceArchive) ports.get(TargetSystem.ARCHIVE),
            (CoordinatorChannel) ports.get(TargetSystem.NOTIFICATION)),
        targets);
  }

  private static Object port(TargetPorts ports, TargetSystem system) {
    return switch (system) {
      case REVIEW -> ports.review();
      case TRACKER -> ports.tracker();
      case LEDGER -> ports.ledger();
      case QUEUE -> ports.queue();
      case ARCHIVE -> ports.archive();
      case NOTIFICATION -> ports.coordinator();
      case AUDIT -> throw new IllegalArgumentException("the audit store is not a target");
    };
  }

  private static Object restPort(RestEndpoint endpoint, String channelName, Clock clock) {
    return switch (endpoint.system()) {
      case REVIEW -> RestTargets.review(endpoint, clock);
      case TRACKER -> RestTargets.tracker(endpoint, clock);
      case LEDGER -> RestTargets.ledger(endpoint, clock);
      case QUEUE -> RestTargets.queue(endpoint, clock);
      case ARCHIVE -> RestTargets.archive(endpoint, clock);
      case NOTIFICATION -> RestTargets.coordinator(endpoint, channelName, clock);
      case AUDIT -> throw new IllegalArgumentException("the audit store is not a target");
    };
  }
}
