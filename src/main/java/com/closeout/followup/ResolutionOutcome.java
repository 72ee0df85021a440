package com.closeout.followup;

import com.closeout.domain.ClosureStatus;

/** What resolving a follow-up did. */
public sealed interface ResolutionOutcome {
  record Resolved(FollowUp followUp, ClosureStatus closureStatus) implements ResolutionOutcome {}

  record Refused(String why) implements ResolutionOutcome {}
}
