package com.closeout.domain;

import java.util.Objects;

/** There is at most one closure per escalation and disposition version. */
public record ClosureKey(EscalationId escalationId, int dispositionVersion) {
  public ClosureKey {
    Objects.requireNonNull(escalationId, "escalationId");
    if (dispositionVersion < 1) {
      throw new IllegalArgumentException("dispositionVersion must be positive");
    }
  }

  /** The idempotency key every write of one step of this closure carries (SPEC §5). */
  public IdempotencyKey keyFor(Step step) {
    return new IdempotencyKey(escalationId.value() + ":v" + dispositionVersion + ":" + step.name());
  }

  @Override
  public String toString() {
    return escalationId + "@v" + dispositionVersion;
  }
}
