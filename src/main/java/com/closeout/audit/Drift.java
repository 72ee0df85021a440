package com.closeout.audit;

import com.closeout.domain.TargetSystem;
import java.util.List;

/**
 * One escalation closed at the source but not downstream.
 *
 * @param openDownstream the systems that do not show the closure
 * @param closureStatus the status of Closeout's closure for that version, or NONE
 */
public record Drift(
    String escalationId,
    int dispositionVersion,
    Kind kind,
    List<TargetSystem> openDownstream,
    String closureStatus) {

  public enum Kind {
    /** No closure was ever started for this version: the event never arrived. */
    LOST_EVENT,
    /** The closure stopped for a person (follow-up open, dismissed, or a revert conflict). */
    STOPPED,
    /** The closure completed, but a target no longer shows it. */
    DIVERGED
  }

  public Drift {
    openDownstream = List.copyOf(openDownstream);
  }
}
