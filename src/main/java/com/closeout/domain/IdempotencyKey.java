package com.closeout.domain;

import java.util.Objects;

/**
 * Carried by every write; derived from (escalation, disposition version, step) so a replayed or
 * retried write is recognised by the target.
 */
public record IdempotencyKey(String value) {
  public IdempotencyKey {
    Objects.requireNonNull(value, "idempotencyKey");
  }

  /** A narrower key for one of several writes of the same step (e.g. one archive link). */
  public IdempotencyKey qualified(String part) {
    return new IdempotencyKey(value + ":" + part);
  }

  @Override
  public String toString() {
    return value;
  }
}
