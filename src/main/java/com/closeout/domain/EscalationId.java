package com.closeout.domain;

import java.util.Objects;

/** Identifier of a support escalation at the review system, e.g. {@code ESC-1042}. */
public record EscalationId(String value) {
  public EscalationId {
    Objects.requireNonNull(value, "escalationId");
    if (value.isBlank()) {
      throw new IllegalArgumentException("escalationId is blank");
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
