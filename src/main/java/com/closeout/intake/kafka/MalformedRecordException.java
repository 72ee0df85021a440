package com.closeout.intake.kafka;

/**
 * Why a record went to the dead-letter topic: it carries the field and what was expected, never the
 * value found (the dead-letter headers and the logs must not repeat restricted content).
 */
public final class MalformedRecordException extends RuntimeException {
  private final String field;

  public MalformedRecordException(String field, String expected) {
    super(
        field + ": expected " + (expected == null ? "a valid value" : expected),
        null,
        false,
        false);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
