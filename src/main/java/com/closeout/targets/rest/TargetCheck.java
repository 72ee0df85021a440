package com.closeout.targets.rest;

import com.closeout.domain.TargetSystem;

/**
 * What {@code check-config} found for one system: reachable, credentials accepted, answers in the
 * shape of the contract. {@code detail} names what failed, never a body or a credential. {@code
 * checked} is false for a system that offers no read-only call (a chat webhook): nothing was
 * called, so reachable, auth and contract are unknown rather than failed.
 */
public record TargetCheck(
    TargetSystem system,
    String kind,
    String baseUrl,
    boolean reachable,
    boolean authOk,
    boolean contractOk,
    String detail,
    boolean checked) {

  public TargetCheck(
      TargetSystem system,
      String kind,
      String baseUrl,
      boolean reachable,
      boolean authOk,
      boolean contractOk,
      String detail) {
    this(system, kind, baseUrl, reachable, authOk, contractOk, detail, true);
  }

  /** Passed, or nothing could be called: an unchecked system does not fail the check. */
  public boolean passed() {
    return !checked || (reachable && authOk && contractOk);
  }

  public static TargetCheck inMemory(TargetSystem system, String kind) {
    return new TargetCheck(system, kind, null, true, true, true, "in-memory");
  }

  /** A system with no read-only call: configuration loaded, nothing called. */
  public static TargetCheck notCheckable(
      TargetSystem system, String kind, String baseUrl, String detail) {
    return new TargetCheck(system, kind, baseUrl, false, false, false, detail, false);
  }
}
