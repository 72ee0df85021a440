package com.closeout.targets.rest;

import com.closeout.domain.TargetSystem;

/**
 * What {@code check-config} found for one system: reachable, credentials accepted, answers in the
 * shape of the contract. {@code detail} names what failed, never a body or a credential.
 */
public record TargetCheck(
    TargetSystem system,
    String kind,
    String baseUrl,
    boolean reachable,
    boolean authOk,
    boolean contractOk,
    String detail) {

  public boolean passed() {
    return reachable && authOk && contractOk;
  }

  public static TargetCheck inMemory(TargetSystem system, String kind) {
    return new TargetCheck(system, kind, null, true, true, true, "in-memory");
  }
}
