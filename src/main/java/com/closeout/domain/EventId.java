package com.closeout.domain;

import java.util.Objects;

/** The CloudEvents {@code id}: unique per emission, repeated by a redelivery. */
public record EventId(String value) {
  public EventId {
    Objects.requireNonNull(value, "eventId");
  }

  @Override
  public String toString() {
    return value;
  }
}
