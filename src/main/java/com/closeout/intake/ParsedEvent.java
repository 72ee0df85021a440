package com.closeout.intake;

/** The result of reading a delivered CloudEvent: well-formed, or the field that is not. */
public sealed interface ParsedEvent {
  record Valid(IncomingEvent event) implements ParsedEvent {}

  /**
   * {@code field} is the JSON path of the offending field, e.g. {@code data.dispositionVersion}.
   */
  record Malformed(String field, String message) implements ParsedEvent {}
}
