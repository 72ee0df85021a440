package com.closeout.evaluation;

/**
 * A scenario file that cannot be run: not JSON, a missing field, or a value the runner does not
 * know (a step, a fault kind, a system). The message names the place, e.g. {@code
 * steps[2].fault.kind}.
 */
public class MalformedScenarioException extends RuntimeException {
  public MalformedScenarioException(String message) {
    super(message);
  }
}
